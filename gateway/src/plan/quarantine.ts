import type { Event } from '@sluice/protocol';
import { WAREHOUSE_PROFILE, identityValue, type IdentityField } from '../identity/index.ts';
import { subjectKey } from '../rights/subject-key.ts';
import type { PlanViolation } from './check-event.ts';
import { planName } from './check-event.ts';

/** Where the request came from, kept so a replay decides consent as ingest would have (no IP). */
export interface QuarantineFacts {
  country?: string;
  region?: string;
  secGpc?: boolean;
}

/**
 * The event as quarantine keeps it: no raw personal data. userId and anonymousId become keyed
 * subject digests (rights/subject-key.ts); of the contact fields only the join keys are kept —
 * email, phone and external id, normalized and SHA-256-hashed by the neutral warehouse profile
 * (the form Meta, TikTok and the warehouse take, so a replay still matches there) — and names,
 * addresses, birthdate and gender are dropped: hashing does not protect low-entropy values (a
 * postal code or birthdate hash is reversed by enumeration), and a holding pen keeps the least.
 * Everything else was already minimized (URLs, properties).
 * @example const stored = await quarantinable(event)
 */
export async function quarantinable(event: Event): Promise<Event> {
  const anonymousId = (await subjectKey('anonymousId', event.anonymousId)) ?? 'redacted';
  const out: Event = { ...event, anonymousId };
  if (event.userId !== undefined) out.userId = (await subjectKey('userId', event.userId)) ?? 'redacted';
  if (event.user) {
    const user: Record<string, string> = {};
    for (const [field, value] of Object.entries(event.user)) {
      if (value === undefined) continue;
      // Fields the warehouse profile does not take are dropped; a digest passes through.
      const hashed = await identityValue(WAREHOUSE_PROFILE, field as IdentityField, value);
      if (hashed) user[field] = hashed;
    }
    out.user = user;
  }
  return out;
}

/** D1 binds at most 100 parameters: 7 per row. */
const ROWS_PER_STATEMENT = 14;

/** The statements writing quarantined events (already made quarantinable) with their violations and the plan version. */
export function quarantineStatements(
  db: D1Database,
  siteId: string,
  planVersion: number,
  rows: ReadonlyArray<{ event: Event; violations: PlanViolation[]; facts: QuarantineFacts }>,
  now: number,
): D1PreparedStatement[] {
  const statements: D1PreparedStatement[] = [];
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
    const part = rows.slice(i, i + ROWS_PER_STATEMENT);
    statements.push(
      db
        .prepare(`INSERT INTO quarantine (site_id, event_id, event_name, plan_version, violations, event, created_at) VALUES ${part.map(() => '(?, ?, ?, ?, ?, ?, ?)').join(', ')}`)
        .bind(...part.flatMap((r) => [siteId, r.event.eventId, planName(r.event), planVersion, JSON.stringify(r.violations), JSON.stringify({ event: r.event, facts: r.facts }), now])),
    );
  }
  return statements;
}

export interface QuarantineRow {
  id: number;
  eventId: string;
  eventName: string;
  planVersion: number;
  violations: PlanViolation[];
  event: Event;
  facts: QuarantineFacts;
  createdAt: number;
  replayedAt: number | null;
}

/** Quarantined events of a site, newest first (`open`: not replayed yet). */
export async function listQuarantine(db: D1Database, siteId: string, options: { limit: number; before?: number; open?: boolean; ids?: number[] }): Promise<QuarantineRow[]> {
  const where = ['site_id = ?'];
  const binds: unknown[] = [siteId];
  if (options.before) (where.push('id < ?'), binds.push(options.before));
  if (options.open) where.push('replayed_at IS NULL');
  if (options.ids?.length) (where.push(`id IN (${options.ids.map(() => '?').join(',')})`), binds.push(...options.ids));
  const { results } = await db
    .prepare(`SELECT id, event_id, event_name, plan_version, violations, event, created_at, replayed_at FROM quarantine WHERE ${where.join(' AND ')} ORDER BY id DESC LIMIT ?`)
    .bind(...binds, options.limit)
    .all<{ id: number; event_id: string; event_name: string; plan_version: number; violations: string; event: string; created_at: number; replayed_at: number | null }>();
  return results.map((r) => {
    const stored = JSON.parse(r.event) as { event: Event; facts: QuarantineFacts };
    return { id: r.id, eventId: r.event_id, eventName: r.event_name, planVersion: r.plan_version, violations: JSON.parse(r.violations), event: stored.event, facts: stored.facts, createdAt: r.created_at, replayedAt: r.replayed_at };
  });
}
