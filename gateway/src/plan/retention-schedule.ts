import { durationMs } from '@sluice/consent';
import type { Event } from '@sluice/protocol';
import { planName } from './check-event.ts';
import type { TrackingPlan } from './plan-schema.ts';

/** When one stored event expires by its plan retention class. */
export interface RetentionEntry {
  eventId: string;
  class: string;
  expiresAt: number;
}

/**
 * The retention entries of a request's events: each event the plan names with a `retention`
 * class expires at receipt + the class's duration (`retentionClasses`). The class in force at
 * ingest applies; a later plan change does not move an event's expiry. Pure.
 * @example retentionEntries(plan, events, Date.now()) // [{ eventId, class: 'short', expiresAt: now + 30 d }]
 */
export function retentionEntries(plan: TrackingPlan, events: readonly Event[], now: number): RetentionEntry[] {
  const out: RetentionEntry[] = [];
  for (const event of events) {
    const cls = plan.events[planName(event)]?.retention;
    if (!cls) continue;
    const ttl = durationMs(plan.retentionClasses?.[cls]);
    if (ttl === undefined) continue;
    out.push({ eventId: event.eventId, class: cls, expiresAt: now + ttl });
  }
  return out;
}

/** D1 binds at most 100 parameters per statement: 4 per row. */
const ROWS_PER_STATEMENT = 24;

/** The statements writing retention entries (for ingest's one D1 batch). A repeated event id keeps its first expiry. */
export function retentionStatements(db: D1Database, siteId: string, entries: readonly RetentionEntry[]): D1PreparedStatement[] {
  const statements: D1PreparedStatement[] = [];
  for (let i = 0; i < entries.length; i += ROWS_PER_STATEMENT) {
    const part = entries.slice(i, i + ROWS_PER_STATEMENT);
    statements.push(
      db
        .prepare(`INSERT OR IGNORE INTO event_retention (site_id, event_id, class, expires_at) VALUES ${part.map(() => '(?, ?, ?, ?)').join(', ')}`)
        .bind(...part.flatMap((e) => [siteId, e.eventId, e.class, e.expiresAt])),
    );
  }
  return statements;
}
