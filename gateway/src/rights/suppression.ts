import type { Event } from '@sluice/protocol';
import { eventSubjectKeys } from './subject-key.ts';

/** D1 binds at most 100 parameters per statement. */
const KEYS_PER_QUERY = 90;

/**
 * Splits a request's events into those of people who asked to be forgotten and the rest, and
 * counts the dropped ones per site and day. One D1 read per request (more only for batches with
 * over 90 distinct identifiers); the response does not tell the client which were dropped, so the
 * batch API is no oracle for "did this person ask to be deleted".
 * @example const { kept, suppressed } = await dropSuppressed(env.DB, 'demo', events, Date.now())
 */
export async function dropSuppressed(db: D1Database, siteId: string, events: readonly Event[], now: number): Promise<{ kept: Event[]; suppressed: number }> {
  if (events.length === 0) return { kept: [], suppressed: 0 };
  const memo = new Map<string, Promise<string | null>>();
  const keysOf = await Promise.all(events.map((e) => eventSubjectKeys(e, memo)));
  const suppressedKeys = await suppressedAmong(db, siteId, [...new Set(keysOf.flat())]);
  if (suppressedKeys.size === 0) return { kept: [...events], suppressed: 0 };
  const kept = events.filter((_, i) => !keysOf[i]!.some((k) => suppressedKeys.has(k)));
  const suppressed = events.length - kept.length;
  await db
    .prepare('INSERT INTO suppressed_counts (site_id, day, count) VALUES (?, ?, ?) ON CONFLICT (site_id, day) DO UPDATE SET count = count + excluded.count')
    .bind(siteId, new Date(now).toISOString().slice(0, 10), suppressed)
    .run();
  return { kept, suppressed };
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
