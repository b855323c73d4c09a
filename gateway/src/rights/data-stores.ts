import type { Env } from '../env.ts';
import { warehouseStore } from '../destinations/warehouse/warehouse-store.ts';
import { decisionStore } from '../decide/decision-store.ts';
import { experimentOfDecision } from '../decide/reward-for.ts';
import { aggregateStore } from '../reports/aggregate-store.ts';

/** The data kinds a retention TTL is set for (policy `retention.<kind>`, ISO 8601 duration). */
export type RetentionKind =
  | 'deliveryLog' | 'deadLetters' | 'deliveredIds' | 'pixelIds' | 'quarantine' | 'subjectIndex'
  | 'auditLog' | 'adminAudit' | 'deliveryQueue' | 'decisionLog' | 'aggregates' | 'warehouse';

const DAY_MS = 86_400_000;

/** TTLs when the site's policy names none. `subjectIndex` must outlive every store keyed by event id. */
export const DEFAULT_RETENTION_MS: Record<RetentionKind, number> = {
  deliveryLog: 90 * DAY_MS,
  deadLetters: 30 * DAY_MS,
  deliveredIds: 30 * DAY_MS,
  pixelIds: 30 * DAY_MS,
  quarantine: 30 * DAY_MS,
  subjectIndex: 400 * DAY_MS,
  auditLog: 400 * DAY_MS,
  adminAudit: 400 * DAY_MS,
  /** Cloudflare Queues keep a message at most 14 days: purged-event marks need live no longer. */
  deliveryQueue: 14 * DAY_MS,
  decisionLog: 90 * DAY_MS,
  aggregates: 400 * DAY_MS,
  /** Not used by the retention job: warehouse partitions expire by event date in the warehouse maintenance. */
  warehouse: 400 * DAY_MS,
};

/** The person a deletion is about, as the stores can find them. */
export interface PurgeTarget {
  siteId: string;
  /** Every event id the subject index holds for the person. */
  eventIds: readonly string[];
  /** The person's keyed identifier digests (rights/subject-key.ts). */
  subjectKeys: readonly string[];
  /** Anonymous ids the request gave in clear (in memory only): stores keyed by a digest of one (decision log, aggregates). */
  anonymousIds?: readonly string[];
  now: number;
}

/** What one store found and removed of a person. */
export interface PurgeCount {
  found: number;
  removed: number;
  /** Files replaced (or deleted when emptied) to take the rows out: the warehouse. */
  filesRewritten?: number;
  /** Files read back to find the person's rows because no index listed their ids (the warehouse; only when some were). */
  filesScanned?: number;
}

/**
 * A place where the gateway keeps data about people. Deletion and retention go through the list of
 * stores (`DATA_STORES`); a new capability (decision log, aggregates) adds its store there and both
 * reach it.
 */
export interface DataStore {
  name: string;
  kind: RetentionKind;
  /** Removes every row of the person. */
  purge(env: Env, target: PurgeTarget): Promise<PurgeCount>;
  /** Removes the site's rows older than `before` (epoch ms); returns how many. */
  expire(env: Env, siteId: string, before: number): Promise<number>;
}

/** D1 binds at most 100 parameters per statement. */
const IDS_PER_STATEMENT = 90;

/**
 * A D1 table keyed by `(site_id, event_id)` with a time column: purged by the person's event ids,
 * expired by time.
 * @example eventIdTable({ name: 'delivery log', kind: 'deliveryLog', table: 'delivery_log', time: 'created_at' })
 */
export function eventIdTable(spec: { name: string; kind: RetentionKind; table: string; time: string; eventId?: string }): DataStore {
  const eventId = spec.eventId ?? 'event_id';
  return {
    name: spec.name,
    kind: spec.kind,
    async purge(env, target) {
      let found = 0;
      let removed = 0;
      for (let i = 0; i < target.eventIds.length; i += IDS_PER_STATEMENT) {
        const part = target.eventIds.slice(i, i + IDS_PER_STATEMENT);
        const marks = part.map(() => '?').join(',');
        const [count, deleted] = await env.DB.batch([
          env.DB.prepare(`SELECT COUNT(*) AS n FROM ${spec.table} WHERE site_id = ? AND ${eventId} IN (${marks})`).bind(target.siteId, ...part),
          env.DB.prepare(`DELETE FROM ${spec.table} WHERE site_id = ? AND ${eventId} IN (${marks})`).bind(target.siteId, ...part),
        ]);
        found += (count!.results[0] as { n: number }).n;
        removed += deleted!.meta.changes;
      }
      return { found, removed };
    },
    async expire(env, siteId, before) {
      const result = await env.DB.prepare(`DELETE FROM ${spec.table} WHERE site_id = ? AND ${spec.time} < ?`).bind(siteId, before).run();
      return result.meta.changes;
    },
  };
}

/** A D1 table keyed by `(site_id, subject_key)`. */
function subjectKeyTable(spec: { name: string; kind: RetentionKind; table: string; time: string }): DataStore {
  return {
    name: spec.name,
    kind: spec.kind,
    async purge(env, target) {
      if (target.subjectKeys.length === 0) return { found: 0, removed: 0 };
      const marks = target.subjectKeys.map(() => '?').join(',');
      const result = await env.DB.prepare(`DELETE FROM ${spec.table} WHERE site_id = ? AND subject_key IN (${marks})`).bind(target.siteId, ...target.subjectKeys).run();
      return { found: result.meta.changes, removed: result.meta.changes };
    },
    async expire(env, siteId, before) {
      const result = await env.DB.prepare(`DELETE FROM ${spec.table} WHERE site_id = ? AND ${spec.time} < ?`).bind(siteId, before).run();
      return result.meta.changes;
    },
  };
}

/** How far from a subject index row's time the audit rows of the same ingest request can be. */
export const AUDIT_WINDOW_MS = 10 * 60_000;

/**
 * The consent audit (migration 0017): one row per ingest batch and receipt with the event ids as
 * JSON, read through the `consent_audit` view, and no index by event id (that index was most of
 * the D1 work of ingest). The person's rows are looked up only around the times their subject
 * index rows were written — by the same ingest request, so within seconds — which the view's
 * `(site_id, created_at)` index finds without scanning the site's whole audit trail.
 */
const consentAuditStore: DataStore = {
  name: 'consent audit',
  kind: 'auditLog',
  async purge(env, target) {
    if (target.eventIds.length === 0) return { found: 0, removed: 0 };
    const windows: Array<[number, number]> = [];
    if (target.subjectKeys.length) {
      const marks = target.subjectKeys.map(() => '?').join(',');
      const { results } = await env.DB.prepare(`SELECT DISTINCT created_at FROM subject_events WHERE site_id = ? AND subject_key IN (${marks}) ORDER BY created_at`)
        .bind(target.siteId, ...target.subjectKeys)
        .all<{ created_at: number }>();
      // Merged windows around each time: [from, to] pairs.
      for (const { created_at: at } of results) {
        const last = windows.at(-1);
        if (last && at - AUDIT_WINDOW_MS <= last[1]) last[1] = at + AUDIT_WINDOW_MS;
        else windows.push([at - AUDIT_WINDOW_MS, at + AUDIT_WINDOW_MS]);
      }
    }
    let removed = 0;
    // Deletes the matching audit rows; with `listHits`, also says which event ids had rows (one more read).
    const take = async (where: string, params: unknown[], listHits: boolean): Promise<string[]> => {
      const remove = env.DB.prepare(`DELETE FROM consent_audit WHERE ${where}`).bind(...params);
      if (!listHits) {
        removed += (await remove.run()).meta.changes;
        return [];
      }
      const [hit, deleted] = await env.DB.batch([env.DB.prepare(`SELECT DISTINCT event_id FROM consent_audit WHERE ${where}`).bind(...params), remove]);
      removed += deleted!.meta.changes;
      return (hit!.results as Array<{ event_id: string }>).map((r) => r.event_id);
    };
    // Fast path: around the times the person's subject index rows were written (ten windows, 70 ids per statement).
    const seen = new Set<string>();
    for (let w = 0; w < windows.length; w += 10) {
      const part = windows.slice(w, w + 10);
      const within = part.map(() => 'created_at BETWEEN ? AND ?').join(' OR ');
      for (let i = 0; i < target.eventIds.length; i += 70) {
        const ids = target.eventIds.slice(i, i + 70);
        for (const id of await take(`site_id = ? AND (${within}) AND event_id IN (${ids.map(() => '?').join(',')})`, [target.siteId, ...part.flat(), ...ids], true)) seen.add(id);
      }
    }
    // Events no window covers (rows stored before the subject index, retention-class expiry, which has
    // no subject keys): looked up over the site's whole audit trail. Slower, and only on these paths.
    const rest = target.eventIds.filter((id) => !seen.has(id) && experimentOfDecision(id) === null); // decision ids have no audit rows
    for (let i = 0; i < rest.length; i += 90) {
      const ids = rest.slice(i, i + 90);
      await take(`site_id = ? AND event_id IN (${ids.map(() => '?').join(',')})`, [target.siteId, ...ids], false);
    }
    return { found: removed, removed };
  },
  async expire(env, siteId, before) {
    // Whole batch rows at once (not row by row through the view's trigger); the count is audit rows.
    const [count] = await env.DB.batch([
      env.DB.prepare('SELECT COALESCE(SUM(json_array_length(event_ids)), 0) AS n FROM consent_audit_batches WHERE site_id = ? AND created_at < ?').bind(siteId, before),
      env.DB.prepare('DELETE FROM consent_audit_batches WHERE site_id = ? AND created_at < ?').bind(siteId, before),
    ]);
    return (count!.results[0] as { n: number }).n;
  },
};

/**
 * Queued items cannot be taken off a Cloudflare queue. Their event ids are marked purged instead:
 * both consumers (delivery and dead-letter) ack marked messages without sending or storing them
 * (rights/drop-purged.ts). `found` counts the ids marked; the marks expire with the queue's limit.
 */
const queuedItems: DataStore = {
  name: 'queued items',
  kind: 'deliveryQueue',
  async purge(env, target) {
    let marked = 0;
    for (let i = 0; i < target.eventIds.length; i += 30) {
      const part = target.eventIds.slice(i, i + 30);
      const result = await env.DB.prepare(`INSERT OR IGNORE INTO purged_events (site_id, event_id, purged_at) VALUES ${part.map(() => '(?, ?, ?)').join(', ')}`)
        .bind(...part.flatMap((id) => [target.siteId, id, target.now]))
        .run();
      marked += result.meta.changes;
    }
    return { found: marked, removed: 0 };
  },
  async expire(env, siteId, before) {
    return (await env.DB.prepare('DELETE FROM purged_events WHERE site_id = ? AND purged_at < ?').bind(siteId, before).run()).meta.changes;
  },
};

/**
 * The subject index: the person's rows (by subject key) go, and their event ids are taken out of
 * any other row that lists them (an identifier the expansion did not reach, on the same event),
 * so no index row points at a deleted event.
 */
function subjectIndex(): DataStore {
  const byKey = subjectKeyTable({ name: 'subject index', kind: 'subjectIndex', table: 'subject_events', time: 'created_at' });
  return {
    ...byKey,
    async purge(env, target) {
      const count = await byKey.purge(env, target);
      const gone = new Set(target.eventIds);
      for (let i = 0; i < target.eventIds.length; i += IDS_PER_STATEMENT) {
        const part = target.eventIds.slice(i, i + IDS_PER_STATEMENT);
        const { results } = await env.DB.prepare(`SELECT rowid AS id, event_ids FROM subject_events WHERE site_id = ? AND (${part.map(() => 'instr(event_ids, ?) > 0').join(' OR ')})`)
          .bind(target.siteId, ...part)
          .all<{ id: number; event_ids: string }>();
        const writes = results.map((row) => {
          const left = (JSON.parse(row.event_ids) as string[]).filter((id) => !gone.has(id));
          return left.length ? env.DB.prepare('UPDATE subject_events SET event_ids = ? WHERE rowid = ?').bind(JSON.stringify(left), row.id) : env.DB.prepare('DELETE FROM subject_events WHERE rowid = ?').bind(row.id);
        });
        if (writes.length) await env.DB.batch(writes);
        count.found += writes.length;
        count.removed += writes.length;
      }
      return count;
    },
  };
}

/** The identity graph: links between a person's identifiers (either column may hold one of theirs). */
const identityLinks: DataStore = {
  name: 'identity links',
  kind: 'subjectIndex',
  async purge(env, target) {
    let removed = 0;
    for (let i = 0; i < target.subjectKeys.length; i += 45) {
      const part = target.subjectKeys.slice(i, i + 45);
      const marks = part.map(() => '?').join(',');
      const result = await env.DB.prepare(`DELETE FROM subject_links WHERE site_id = ? AND (key_a IN (${marks}) OR key_b IN (${marks}))`).bind(target.siteId, ...part, ...part).run();
      removed += result.meta.changes;
    }
    return { found: removed, removed };
  },
  async expire(env, siteId, before) {
    return (await env.DB.prepare('DELETE FROM subject_links WHERE site_id = ? AND last_seen < ?').bind(siteId, before).run()).meta.changes;
  },
};

/**
 * Every store of personal data on this branch. Not listed, with the reason: KV (site configs,
 * policies and plans: no personal data); the EventIdLedger Durable Object (random event UUIDs,
 * which identify no one once the subject index row is gone, and its copy of `suppressions`, which
 * ingest checks there: dedup/event-id-ledger.ts); `suppressions` (must outlive the
 * deletion it enforces); `client_drops`, `plan_violations`, `plan_observations` (counts and names).
 * Order matters: the subject index goes last, after every store found the person's rows through it.
 */
export const DATA_STORES: DataStore[] = [
  eventIdTable({ name: 'delivery log', kind: 'deliveryLog', table: 'delivery_log', time: 'created_at' }),
  eventIdTable({ name: 'dead letters', kind: 'deadLetters', table: 'dead_letters', time: 'created_at' }),
  eventIdTable({ name: 'delivered ids', kind: 'deliveredIds', table: 'delivered_events', time: 'delivered_at' }),
  eventIdTable({ name: 'pixel ids', kind: 'pixelIds', table: 'pixel_event_ids', time: 'reported_at' }),
  consentAuditStore,
  eventIdTable({ name: 'quarantine', kind: 'quarantine', table: 'quarantine', time: 'created_at' }),
  queuedItems,
  warehouseStore,
  // When each event's plan retention class expires (the class job removes rows as it purges them; this is the backstop).
  eventIdTable({ name: 'retention schedule', kind: 'subjectIndex', table: 'event_retention', time: 'expires_at' }),
  // Decisions the person's events carried (listed in the subject index) and their bandit state; today's aggregate unit.
  decisionStore,
  aggregateStore,
  identityLinks,
  subjectIndex(),
];
