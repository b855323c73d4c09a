import { GOOGLE_PROFILE, META_PROFILE, TIKTOK_PROFILE, WAREHOUSE_PROFILE, identityValue, sha256Hex, type IdentityField } from '../identity/index.ts';
import type { DeletionIdentifiers } from './deletion-request.ts';

/** The D1 tables that keep identifiers inside a stored event or vendor item, and the column holding it. */
const SCANNED: ReadonlyArray<{ store: string; table: string; column: string }> = [
  { store: 'dead letters', table: 'dead_letters', column: 'payload' },
  { store: 'quarantine', table: 'quarantine', column: 'event' },
];

/** D1 binds at most 100 parameters per statement. */
const NEEDLES_PER_QUERY = 90;

/**
 * Every form in which a stored row can hold one of the person's identifiers: the clear id as a JSON
 * string (GA4's client_id / user_id), its SHA-256, the vendor-normalized SHA-256 forms of email and
 * phone (Meta, Google, TikTok, warehouse) and the subject keys (quarantine keeps those). Memory only.
 */
export async function identifierNeedles(ids: DeletionIdentifiers, subjectKeys: readonly string[]): Promise<string[]> {
  const out = new Set<string>(subjectKeys);
  for (const kind of ['userId', 'anonymousId'] as const) {
    const value = ids[kind];
    if (value === undefined) continue;
    out.add(JSON.stringify(value));
    out.add(await sha256Hex(value));
    const external = await identityValue(META_PROFILE, 'externalId', value);
    if (external) out.add(external);
  }
  for (const field of ['email', 'phone'] as const satisfies readonly IdentityField[]) {
    const value = ids[field];
    if (value === undefined) continue;
    for (const profile of [META_PROFILE, GOOGLE_PROFILE, TIKTOK_PROFILE, WAREHOUSE_PROFILE]) {
      const hashed = await identityValue(profile, field, value);
      if (hashed) out.add(hashed);
    }
  }
  return [...out].filter((n) => n.length >= 8);
}

/**
 * The fallback for rows stored before the subject index existed (or written by a path that did not
 * index them): scans the site's dead letters and quarantine for any form of the person's
 * identifiers and returns the event ids found that the index did not list, per store. Every store
 * keyed by event id then purges those events too (delivery log, consent audit, delivered ids, …).
 * A full scan of the site's rows in those two tables — bounded by their retention (30 days by default).
 * @example const { eventIds } = await unindexedEventIds(env.DB, 'demo', needles, new Set(indexed))
 */
export async function unindexedEventIds(db: D1Database, siteId: string, needles: readonly string[], indexed: ReadonlySet<string>): Promise<{ eventIds: string[]; byStore: Record<string, number> }> {
  const found = new Set<string>();
  const byStore: Record<string, number> = {};
  if (needles.length === 0) return { eventIds: [], byStore };
  for (const { store, table, column } of SCANNED) {
    const ids = new Set<string>();
    for (let i = 0; i < needles.length; i += NEEDLES_PER_QUERY) {
      const part = needles.slice(i, i + NEEDLES_PER_QUERY);
      const { results } = await db
        .prepare(`SELECT DISTINCT event_id FROM ${table} WHERE site_id = ? AND (${part.map(() => `instr(${column}, ?) > 0`).join(' OR ')})`)
        .bind(siteId, ...part)
        .all<{ event_id: string }>();
      for (const row of results) if (!indexed.has(row.event_id)) ids.add(row.event_id);
    }
    byStore[store] = ids.size;
    for (const id of ids) found.add(id);
  }
  return { eventIds: [...found], byStore };
}
