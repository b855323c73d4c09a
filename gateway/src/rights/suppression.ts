import type { Event } from '@sluice/protocol';
import { eventSubjectKeys } from './subject-key.ts';

/** D1 binds at most 100 parameters per statement. */
const KEYS_PER_QUERY = 90;

/**
 * Which of a request's events belong to people who asked to be forgotten: one D1 read per request
 * (more only for batches with over 90 distinct identifiers), no write. Count the dropped ones with
 * `suppressedCountStatements` in the request's one D1 batch. The response does not tell the client
 * which were dropped, so the batch API is no oracle for "did this person ask to be deleted".
 * @example const suppressed = await findSuppressed(env.DB, 'demo', events); const kept = events.filter((e) => !suppressed.has(e))
 */
export async function findSuppressed(db: D1Database, siteId: string, events: readonly Event[]): Promise<Set<Event>> {
  if (events.length === 0) return new Set();
  const memo = new Map<string, Promise<string | null>>();
  const keysOf = await Promise.all(events.map((e) => eventSubjectKeys(e, memo)));
  const suppressedKeys = await suppressedAmong(db, siteId, [...new Set(keysOf.flat())]);
  if (suppressedKeys.size === 0) return new Set();
  return new Set(events.filter((_, i) => keysOf[i]!.some((k) => suppressedKeys.has(k))));
}

/** The statement adding `count` dropped events to the site's count for the day (none for 0). */
export function suppressedCountStatements(db: D1Database, siteId: string, count: number, now: number): D1PreparedStatement[] {
  if (count === 0) return [];
  return [
    db
      .prepare('INSERT INTO suppressed_counts (site_id, day, count) VALUES (?, ?, ?) ON CONFLICT (site_id, day) DO UPDATE SET count = count + excluded.count')
      .bind(siteId, new Date(now).toISOString().slice(0, 10), count),
  ];
}

/** Which of these subject keys are on the site's suppression list. */
export async function suppressedAmong(db: D1Database, siteId: string, keys: readonly string[]): Promise<Set<string>> {
  const out = new Set<string>();
  for (let i = 0; i < keys.length; i += KEYS_PER_QUERY) {
    const part = keys.slice(i, i + KEYS_PER_QUERY);
    const { results } = await db
      .prepare(`SELECT subject_key FROM suppressions WHERE site_id = ? AND subject_key IN (${part.map(() => '?').join(',')})`)
      .bind(siteId, ...part)
      .all<{ subject_key: string }>();
    for (const row of results) out.add(row.subject_key);
  }
  return out;
}

/** Events of suppressed people dropped at ingest, all time (site status). */
export async function suppressedCount(db: D1Database, siteId: string): Promise<number> {
  const row = await db.prepare('SELECT COALESCE(SUM(count), 0) AS n FROM suppressed_counts WHERE site_id = ?').bind(siteId).first<{ n: number }>();
  return row?.n ?? 0;
}
