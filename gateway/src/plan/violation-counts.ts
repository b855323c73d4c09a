import type { PlanViolation } from './check-event.ts';
import { safeName } from './safe-name.ts';

/** What is counted: a plan violation, or a property withheld for want of consent (`rule: 'purposes'`, `action: 'withheld'`). */
export type CountedViolation = Pick<PlanViolation, 'path' | 'rule'> & { action: PlanViolation['action'] | 'withheld' };

/** D1 binds at most 100 parameters: 6 per row. */
const ROWS_PER_STATEMENT = 16;

/**
 * The statements adding one request's violations to the per-site counters `(event, rule, action)`
 * (for ingest's one D1 batch).
 * @example statements.push(...violationStatements(env.DB, 'demo', [{ event: 'Purchase', violation }], Date.now()))
 */
export function violationStatements(db: D1Database, siteId: string, rows: ReadonlyArray<{ event: string; violation: CountedViolation }>, now: number): D1PreparedStatement[] {
  const counts = new Map<string, { event: string; rule: string; action: string; n: number }>();
  for (let { event, violation } of rows) {
    const path = violation.path.startsWith('properties.') ? `properties.${safeName(violation.path.slice('properties.'.length))}` : violation.path;
    const rule = `${path}:${violation.rule}`;
    event = safeName(event);
    const key = `${event}\u0000${rule}\u0000${violation.action}`;
    const hit = counts.get(key);
    if (hit) hit.n += 1;
    else counts.set(key, { event, rule, action: violation.action, n: 1 });
  }
  const all = [...counts.values()];
  const statements: D1PreparedStatement[] = [];
  for (let i = 0; i < all.length; i += ROWS_PER_STATEMENT) {
    const part = all.slice(i, i + ROWS_PER_STATEMENT);
    statements.push(
      db
        .prepare(
          `INSERT INTO plan_violations (site_id, event_name, rule, action, count, last_at) VALUES ${part.map(() => '(?, ?, ?, ?, ?, ?)').join(', ')} ON CONFLICT (site_id, event_name, rule, action) DO UPDATE SET count = count + excluded.count, last_at = excluded.last_at`,
        )
        .bind(...part.flatMap((c) => [siteId, c.event, c.rule, c.action, c.n, now])),
    );
  }
  return statements;
}

/** The site's violation counters, most frequent first. */
export async function violationCounts(db: D1Database, siteId: string) {
  const { results } = await db
    .prepare('SELECT event_name AS event, rule, action, count, last_at AS lastAt FROM plan_violations WHERE site_id = ? ORDER BY count DESC LIMIT 500')
    .bind(siteId)
    .all<{ event: string; rule: string; action: string; count: number; lastAt: number }>();
  return results;
}
