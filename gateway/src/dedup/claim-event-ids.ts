import type { Event } from '@sluice/protocol';
import type { Env } from '../env.ts';
import { eventSubjectKeys } from '../rights/subject-key.ts';
import type { HashMemo } from '../identity/index.ts';

/**
 * One ledger object per site, one call per request: claiming a batch's ids is a single round trip
 * and a single transaction, whatever the batch size. (It was 16 shards by id, so up to 16 calls a
 * batch.) A Durable Object serves on the order of a thousand calls a second, i.e. tens of
 * thousands of events a second per site at real batch sizes.
 */
export function ledgerFor(env: Env, siteId: string) {
  return env.EVENT_IDS.get(env.EVENT_IDS.idFromName(`site:${siteId}`));
}

/** Claims event ids for a site in one call; returns a set of the ids that were new. */
export async function claimEventIds(env: Env, siteId: string, eventIds: string[]): Promise<Set<string>> {
  if (!eventIds.length) return new Set();
  const results = await ledgerFor(env, siteId).claim(eventIds);
  const fresh = new Set<string>();
  eventIds.forEach((id, i) => results[i] && fresh.add(id));
  return fresh;
}

/** Gives claimed ids back (their delivery could not be queued), in one call. */
export async function releaseEventIds(env: Env, siteId: string, eventIds: string[]): Promise<void> {
  if (eventIds.length) await ledgerFor(env, siteId).release(eventIds);
}

/** What the site's ledger made of a request's events (`admitEvents`). */
export interface Admitted {
  /** Events of people on the suppression list (not claimed), quarantined ones included. */
  suppressed: Set<Event>;
  /** Ids of the other events that were new and are now claimed. */
  fresh: Set<string>;
}

/**
 * Ingest's one ledger call: the suppression list check (rights/) and the event id claim together,
 * strongly consistent per site (one Durable Object), so a person deleted a moment ago is dropped
 * on every isolate and no D1 read is spent per request. `checkOnly`: events checked against the
 * list but not claimed (quarantined ones). `hashes`: the request's identity memo, so the subject
 * keys read and hash each email and phone once with the destinations (see `subjectKey`).
 * @example const { suppressed, fresh } = await admitEvents(env, site.id, events, quarantined)
 */
export async function admitEvents(env: Env, siteId: string, events: readonly Event[], checkOnly: readonly Event[] = [], hashes?: HashMemo): Promise<Admitted> {
  if (events.length === 0 && checkOnly.length === 0) return { suppressed: new Set(), fresh: new Set() };
  const memo = new Map<string, Promise<string | null>>();
  const keys = await Promise.all(events.map((e) => eventSubjectKeys(e, memo, hashes)));
  const otherKeys = await Promise.all(checkOnly.map((e) => eventSubjectKeys(e, memo, hashes)));
  const answer = await ledgerFor(env, siteId).admit(siteId, events.map((e, i) => ({ id: e.eventId, keys: keys[i]! })), otherKeys);
  const suppressed = new Set<Event>();
  const fresh = new Set<string>();
  events.forEach((event, i) => {
    if (answer.suppressed[i]) suppressed.add(event);
    else if (answer.fresh[i]) fresh.add(event.eventId);
  });
  checkOnly.forEach((event, i) => answer.othersSuppressed[i] && suppressed.add(event));
  return { suppressed, fresh };
}

/** Puts subject keys on the site's suppression list in its ledger (call before writing D1 `suppressions`). */
export async function suppressInLedger(env: Env, siteId: string, keys: string[]): Promise<void> {
  if (keys.length) await ledgerFor(env, siteId).suppress(siteId, keys);
}
