import { durationMs } from '@sluice/consent';
import type { Env } from '../env.ts';
import { loadLivePolicy } from '../consent/live-policy.ts';
import { DATA_STORES, DEFAULT_RETENTION_MS, type RetentionKind } from './data-stores.ts';
import { expireRetentionClasses, type ClassExpiry } from './expire-retention-classes.ts';

/** What one retention run deleted: per store, and per site and store. */
export interface RetentionRun {
  ranAt: number;
  deleted: Record<string, number>;
  bySite: Record<string, Record<string, number>>;
  /** Per site: events whose tracking-plan retention class expired, and what each store removed of them. */
  classes: Record<string, ClassExpiry>;
}

/** The TTL of a data kind for a site: its policy's `retention.<kind>`, else the default. */
export function ttlMs(retention: Record<string, string | undefined> | undefined, kind: RetentionKind): number {
  return durationMs(retention?.[kind]) ?? DEFAULT_RETENTION_MS[kind];
}

/**
 * The scheduled retention job: for every site (KV `site:` keys), every store in `DATA_STORES`
 * deletes what is older than the site's TTL for its kind; the admin audit log (global) keeps
 * `adminAudit` by default. Then each event whose tracking-plan retention class has expired is
 * purged from every store keyed by event id (expire-retention-classes.ts). The counts are stored in `retention_runs` and returned.
 * @example const run = await runRetention(env, Date.now())
 */
export async function runRetention(env: Env, now: number): Promise<RetentionRun> {
  const run: RetentionRun = { ranAt: now, deleted: {}, bySite: {}, classes: {} };
  const add = (siteId: string, store: string, n: number) => {
    run.deleted[store] = (run.deleted[store] ?? 0) + n;
    if (n > 0) (run.bySite[siteId] ??= {})[store] = n;
  };
  for await (const siteId of siteIds(env.CONFIG)) {
    const retention = (await loadLivePolicy(env.CONFIG, siteId))?.policy.retention as Record<string, string | undefined> | undefined;
    for (const store of DATA_STORES) add(siteId, store.name, await store.expire(env, siteId, now - ttlMs(retention, store.kind)));
    // Events of a plan retention class: gone from every store when their class expires (plan/retention-schedule.ts).
    const expiry = await expireRetentionClasses(env, siteId, now);
    if (expiry.events > 0) run.classes[siteId] = expiry;
  }
  const audit = await env.DB.prepare('DELETE FROM admin_audit WHERE created_at < ?').bind(now - DEFAULT_RETENTION_MS.adminAudit).run();
  run.deleted['admin audit'] = audit.meta.changes;
  await env.DB.prepare('INSERT INTO retention_runs (ran_at, deleted) VALUES (?, ?)').bind(now, JSON.stringify({ deleted: run.deleted, bySite: run.bySite, classes: run.classes })).run();
  await env.DB.prepare('DELETE FROM retention_runs WHERE ran_at < ?').bind(now - DEFAULT_RETENTION_MS.adminAudit).run();
  return run;
}

async function* siteIds(kv: KVNamespace): AsyncGenerator<string> {
  let cursor: string | undefined;
  do {
    const page: KVNamespaceListResult<unknown, string> = await kv.list({ prefix: 'site:', ...(cursor && { cursor }) });
    for (const key of page.keys) yield key.name.slice('site:'.length);
    cursor = page.list_complete ? undefined : page.cursor;
  } while (cursor);
}

/** The latest retention runs, newest first. */
export async function listRetentionRuns(db: D1Database, limit: number) {
  const { results } = await db.prepare('SELECT id, ran_at AS ranAt, deleted FROM retention_runs ORDER BY id DESC LIMIT ?').bind(limit).all<{ id: number; ranAt: number; deleted: string }>();
  return results.map((r) => ({ id: r.id, ranAt: r.ranAt, ...JSON.parse(r.deleted) }));
}
