import type { Event } from '@sluice/protocol';
import { observedType, planName } from './check-event.ts';
import { safeName } from './safe-name.ts';

/** An observation already written by this isolate is not written again for this long. */
export const OBSERVE_EVERY_MS = 10 * 60_000;
const MAX_REMEMBERED = 5000;
const written = new Map<string, number>();
/** D1 binds at most 100 parameters: 6 per row. */
const ROWS_PER_STATEMENT = 16;

/** `(event name, property, observed type)` per event; `(name, '', 'event')` for the event itself. Names and types only, never values. */
export function observations(events: readonly Event[]): Map<string, { event: string; property: string; type: string; count: number }> {
  const out = new Map<string, { event: string; property: string; type: string; count: number }>();
  const add = (event: string, property: string, type: string) => {
    const key = `${event}\u0000${property}\u0000${type}`;
    const hit = out.get(key);
    if (hit) hit.count += 1;
    else out.set(key, { event, property, type, count: 1 });
  };
  for (const event of events) {
    const name = safeName(planName(event));
    add(name, '', 'event');
    for (const [property, value] of Object.entries(event.properties ?? {})) add(name, safeName(property), observedType(value));
  }
  return out;
}

/**
 * The statements recording what a site sends, for `GET …/plan/draft`: event names, property names
 * and observed JSON types. Each isolate writes one observation at most every 10 minutes, so this
 * adds at most a few statements to ingest's one D1 batch and usually none; counts are therefore
 * lower bounds ("seen at least").
 * @example statements.push(...observationStatements(env.DB, 'demo', events, Date.now()))
 */
export function observationStatements(db: D1Database, siteId: string, events: readonly Event[], now: number): D1PreparedStatement[] {
  const due = [...observations(events).entries()].filter(([key]) => (written.get(`${siteId}\u0000${key}`) ?? 0) + OBSERVE_EVERY_MS <= now);
  if (due.length === 0) return [];
  if (written.size > MAX_REMEMBERED) written.clear();
  for (const [key] of due) written.set(`${siteId}\u0000${key}`, now);
  const statements: D1PreparedStatement[] = [];
  for (let i = 0; i < due.length; i += ROWS_PER_STATEMENT) {
    const part = due.slice(i, i + ROWS_PER_STATEMENT);
    statements.push(
      db
        .prepare(
          `INSERT INTO plan_observations (site_id, event_name, property, observed_type, count, last_at) VALUES ${part.map(() => '(?, ?, ?, ?, ?, ?)').join(', ')} ON CONFLICT (site_id, event_name, property, observed_type) DO UPDATE SET count = count + excluded.count, last_at = excluded.last_at`,
        )
        .bind(...part.flatMap(([, o]) => [siteId, o.event, o.property, o.type, o.count, now])),
    );
  }
  return statements;
}

/** Tests: forget what this isolate wrote. */
export function clearObservationMemo(): void {
  written.clear();
}
