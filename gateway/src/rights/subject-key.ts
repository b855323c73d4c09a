import type { Event } from '@sluice/protocol';
import { META_PROFILE, identityValue, sha256Hex, type HashMemo } from '../identity/index.ts';

/** The identifiers a person can be deleted by. */
export type SubjectKind = 'userId' | 'anonymousId' | 'email' | 'phone';
export const SUBJECT_KINDS: readonly SubjectKind[] = ['userId', 'anonymousId', 'email', 'phone'];

/**
 * Domain separation: a subject key is never equal to the digest a vendor receives
 * (SHA-256 of the normalized email), so the suppression list cannot be joined to vendor data.
 */
const DOMAIN = 'sluice-subject:v1';

/**
 * The keyed digest Sluice stores for one identifier. Email and phone are normalized the way
 * vendors normalize them (gateway/src/identity) and hashed first, so a clear value and its
 * SHA-256 form give the same key; nothing here keeps the clear value.
 * Null when the value is not a valid email or phone number. `hashes`: the request's memo (ingest's),
 * so the email and phone are read and hashed once for the destinations and the subject keys alike.
 * @example await subjectKey('email', ' Jane.Doe@Example.com') === await subjectKey('email', sha256('jane.doe@example.com'))
 */
export async function subjectKey(kind: SubjectKind, raw: string, hashes?: HashMemo): Promise<string | null> {
  let value: string | undefined = raw;
  if (kind === 'email' || kind === 'phone') value = await identityValue(META_PROFILE, kind, raw, hashes && { memo: hashes });
  if (value === undefined || value === '') return null;
  return sha256Hex(`${DOMAIN}:${kind}:${value}`);
}

/** One identifier of an event as Sluice keeps it: its kind and keyed digest. */
export interface Subject {
  kind: SubjectKind;
  key: string;
}

/** Every identifier an event carries (userId, anonymousId, user.email, user.phone), as kind and subject key. */
export function eventSubjects(event: Event, memo = new Map<string, Promise<string | null>>(), hashes?: HashMemo): Promise<Subject[]> {
  // Ingest asks more than once per event (the suppression check, the subject index, the identity
  // graph): computed once. Keyed by the event object, which lives for its request; the keys depend on its fields only.
  let subjects = subjectsByEvent.get(event);
  if (!subjects) subjectsByEvent.set(event, (subjects = computeSubjects(event, memo, hashes)));
  return subjects;
}

const subjectsByEvent = new WeakMap<Event, Promise<Subject[]>>();

async function computeSubjects(event: Event, memo: Map<string, Promise<string | null>>, hashes: HashMemo | undefined): Promise<Subject[]> {
  const pairs: Array<[SubjectKind, string | undefined]> = [
    ['userId', event.userId],
    ['anonymousId', event.anonymousId],
    ['email', event.user?.email],
    ['phone', event.user?.phone],
  ];
  const out: Subject[] = [];
  for (const [kind, value] of pairs) {
    if (value === undefined) continue;
    const id = `${kind}\u0000${value}`;
    if (!memo.has(id)) memo.set(id, subjectKey(kind, value, hashes));
    const key = await memo.get(id)!;
    if (key) out.push({ kind, key });
  }
  return out;
}

/** Every subject key an event carries (userId, anonymousId, user.email, user.phone). */
export async function eventSubjectKeys(event: Event, memo = new Map<string, Promise<string | null>>(), hashes?: HashMemo): Promise<string[]> {
  return (await eventSubjects(event, memo, hashes)).map((s) => s.key);
}
