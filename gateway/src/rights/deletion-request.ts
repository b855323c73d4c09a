import { z } from 'zod';
import type { Env } from '../env.ts';
import type { SiteConfig } from '../site-config/site-config.ts';
import { DATA_STORES, type PurgeCount } from './data-stores.ts';
import { requestDestinationDeletions, type DestinationDeletion } from './destination-deletions.ts';
import { eventIdsOf } from './subject-index.ts';
import { SUBJECT_KINDS, subjectKey, type Subject, type SubjectKind } from './subject-key.ts';
import { expandSubjects, type LinkedSubject } from './identity-graph.ts';
import { identifierNeedles, unindexedEventIds } from './unindexed-scan.ts';
import { suppressInLedger } from '../dedup/claim-event-ids.ts';

const SITE_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** `POST /v1/admin/privacy/deletions` body: the site and at least one identifier of the person. */
export const DeletionBody = z
  .strictObject({
    siteId: z.string().regex(SITE_ID, 'siteId must be 1-63 lowercase letters, digits or dashes'),
    userId: z.string().min(1).max(256).optional(),
    anonymousId: z.string().min(1).max(128).optional(),
    email: z.string().min(3).max(256).optional(),
    phone: z.string().min(4).max(64).optional(),
  })
  .refine((b) => SUBJECT_KINDS.some((k) => b[k] !== undefined), 'give at least one of userId, anonymousId, email, phone');
export type DeletionIdentifiers = Partial<Record<SubjectKind, string>>;

/** The deletion record as stored and served: no identifier, only which kinds were given. */
export interface DeletionRecord {
  id: string;
  siteId: string;
  identifierKinds: SubjectKind[];
  status: 'completed' | 'completed-with-destination-failures';
  stores: Record<string, PurgeCount>;
  /**
   * The identifiers linked to the given ones in the identity graph (seen together on one event),
   * which the deletion covered too (purged and suppressed); `truncated` when a limit stopped the walk.
   */
  expansion: { linked: LinkedSubject[]; truncated: boolean };
  /** Events found by scanning stores for the identifiers, that the subject index did not list (rows stored before it existed). */
  unindexed: Record<string, number>;
  destinations: DestinationDeletion[];
  requestedBy: string;
  createdAt: number;
  completedAt: number;
}

/** An identifier that is not a valid email or phone number cannot be hashed to a subject key. */
export type DeletionResult = { ok: true; record: DeletionRecord } | { ok: false; field: SubjectKind; message: string };

/**
 * Forgets a person: hashes the identifiers on arrival (email and phone normalized, then SHA-256,
 * then keyed: rights/subject-key.ts), expands them over the identity graph (identifiers seen with
 * them on one event, bounded: identity-graph.ts), puts them all on the suppression list first (so
 * events arriving meanwhile are dropped), finds the events the subject index lists for them plus
 * those a scan of the stores finds without an index entry (unindexed-scan.ts), purges every store
 * in `DATA_STORES`, asks destinations that accept it,
 * and records what happened. The clear values live only in this call's memory.
 * @example const result = await runDeletion(env, site, { email: 'jane@example.com' }, 'admin:1a2b3c4d5e6f', Date.now())
 */
export async function runDeletion(env: Env, site: SiteConfig, ids: DeletionIdentifiers, actor: string, now: number): Promise<DeletionResult> {
  const kinds = SUBJECT_KINDS.filter((k) => ids[k] !== undefined);
  const given: Subject[] = [];
  for (const kind of kinds) {
    const key = await subjectKey(kind, ids[kind]!);
    if (!key) return { ok: false, field: kind, message: `${kind} is not a valid ${kind === 'email' ? 'email address' : 'phone number (with country code)'}` };
    given.push({ kind, key });
  }
  const id = crypto.randomUUID();
  // The person's other identifiers (seen with these on one event): covered by the deletion too.
  const expansion = await expandSubjects(env.DB, site.id, given);
  const keys = expansion.keys;
  // A shared browser (linked, not given, also seen with another person's identifiers) is not suppressed:
  // that would drop the other person's later events too.
  const suppressed = keys.filter((k) => !expansion.shared.includes(k));
  // Ingest checks the list in the site's event-id ledger (dedup/): there first, so that a failure
  // after it can only over-suppress until the retry writes D1, never let the person's events through.
  await suppressInLedger(env, site.id, suppressed);
  const suppress = suppressed.map((key) => env.DB.prepare('INSERT OR IGNORE INTO suppressions (site_id, subject_key, deletion_id, created_at) VALUES (?, ?, ?, ?)').bind(site.id, key, id, now));
  for (let i = 0; i < suppress.length; i += 50) await env.DB.batch(suppress.slice(i, i + 50));
  const indexed = await personEventIds(env.DB, site.id, keys, expansion);
  // Rows stored before the subject index existed: found by scanning for every stored form of the identifiers.
  const scan = await unindexedEventIds(env.DB, site.id, await identifierNeedles(ids, keys), new Set(indexed));
  const eventIds = [...indexed, ...scan.eventIds];
  const stores: Record<string, PurgeCount> = {};
  for (const store of DATA_STORES) stores[store.name] = await store.purge(env, { siteId: site.id, eventIds, subjectKeys: keys, anonymousIds: ids.anonymousId ? [ids.anonymousId] : [], now });
  const destinations = await requestDestinationDeletions(env, site, ids);
  const record: DeletionRecord = {
    id,
    siteId: site.id,
    identifierKinds: kinds,
    status: destinations.some((d) => d.status === 'failed') ? 'completed-with-destination-failures' : 'completed',
    stores,
    expansion: { linked: expansion.linked, truncated: expansion.truncated },
    unindexed: scan.byStore,
    destinations,
    requestedBy: actor,
    createdAt: now,
    completedAt: Date.now(),
  };
  await env.DB.prepare(
    'INSERT INTO deletion_requests (id, site_id, identifier_kinds, status, stores, destinations, requested_by, created_at, completed_at, coverage) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  )
    .bind(id, site.id, JSON.stringify(kinds), record.status, JSON.stringify(stores), JSON.stringify(destinations), actor, now, record.completedAt, JSON.stringify({ expansion: record.expansion, unindexed: record.unindexed }))
    .run();
  return { ok: true, record };
}

/**
 * The person's event ids: every event carrying one of their identifiers, except — on a shared
 * browser — events that also carry the other person's identifiers.
 */
async function personEventIds(db: D1Database, siteId: string, keys: readonly string[], expansion: { shared: string[]; foreign: string[] }): Promise<string[]> {
  const own = await eventIdsOf(db, siteId, keys.filter((k) => !expansion.shared.includes(k)));
  if (expansion.shared.length === 0) return own;
  const ownSet = new Set(own);
  const others = new Set(await eventIdsOf(db, siteId, expansion.foreign));
  const viaShared = (await eventIdsOf(db, siteId, expansion.shared)).filter((id) => !others.has(id) && !ownSet.has(id));
  return [...own, ...viaShared];
}

/** A stored deletion record, or null. */
export async function loadDeletion(db: D1Database, id: string): Promise<DeletionRecord | null> {
  const row = await db.prepare('SELECT * FROM deletion_requests WHERE id = ?').bind(id).first<Record<string, string | number | null>>();
  if (!row) return null;
  // Records written before 0014 have no coverage column value.
  const coverage = row.coverage ? (JSON.parse(row.coverage as string) as Pick<DeletionRecord, 'expansion' | 'unindexed'>) : undefined;
  return {
    id: row.id as string,
    siteId: row.site_id as string,
    identifierKinds: JSON.parse(row.identifier_kinds as string),
    status: row.status as DeletionRecord['status'],
    stores: JSON.parse(row.stores as string),
    expansion: coverage?.expansion ?? { linked: [], truncated: false },
    unindexed: coverage?.unindexed ?? {},
    destinations: JSON.parse(row.destinations as string),
    requestedBy: row.requested_by as string,
    createdAt: row.created_at as number,
    completedAt: row.completed_at as number,
  };
}
