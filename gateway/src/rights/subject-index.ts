import type { Event } from '@sluice/protocol';
import { eventSubjectKeys } from './subject-key.ts';
import { linkStatements } from './identity-graph.ts';
import { decisionIdsOf } from '../decide/join-conversion-rewards.ts';

/** D1 binds at most 100 parameters per statement: 4 per row. */
const ROWS_PER_STATEMENT = 25;

/**
 * The statements that record which event ids carried which subject key: one row per request and
 * identifier (a browser's batch has one or two), so a deletion can find the person's rows in every
 * store keyed by event id. Kept as long as the longest such store (retention `subjectIndex`).
 * With them, the identity graph's links (identifiers seen together on one event: identity-graph.ts),
 * so ingest's one call here covers both. Ingest runs them inside its one D1 batch (issue 14: O(1)
 * storage per batch).
 * @example statements.push(...(await subjectIndexStatements(env.DB, 'demo', events, Date.now())))
 */
export async function subjectIndexStatements(db: D1Database, siteId: string, events: readonly Event[], now: number): Promise<D1PreparedStatement[]> {
  if (events.length === 0) return [];
  const byKey = new Map<string, string[]>();
  const memo = new Map<string, Promise<string | null>>();
  for (const event of events) {
    // The decisions an event carried are the person's too (decision log: decide/decision-store.ts).
    const own = [event.eventId, ...decisionIdsOf(event)];
    for (const key of await eventSubjectKeys(event, memo)) {
      const ids = byKey.get(key);
      if (ids) ids.push(...own);
      else byKey.set(key, [...own]);
    }
  }
  const rows = [...byKey];
  const statements: D1PreparedStatement[] = await linkStatements(db, siteId, events, now, memo);
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
    const part = rows.slice(i, i + ROWS_PER_STATEMENT);
    statements.push(
      db
        .prepare(`INSERT INTO subject_events (site_id, subject_key, event_ids, created_at) VALUES ${part.map(() => '(?, ?, ?, ?)').join(', ')}`)
        .bind(...part.flatMap(([key, ids]) => [siteId, key, JSON.stringify(ids), now])),
    );
  }
  return statements;
}

/** Every event id the index holds for these subject keys. */
export async function eventIdsOf(db: D1Database, siteId: string, keys: readonly string[]): Promise<string[]> {
  if (keys.length === 0) return [];
  const { results } = await db
    .prepare(`SELECT event_ids FROM subject_events WHERE site_id = ? AND subject_key IN (${keys.map(() => '?').join(',')})`)
    .bind(siteId, ...keys)
    .all<{ event_ids: string }>();
  return [...new Set(results.flatMap((r) => JSON.parse(r.event_ids) as string[]))];
}
