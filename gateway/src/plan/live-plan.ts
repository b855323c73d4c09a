import { canonicalJson } from '@sluice/consent';
import { sha256Hex } from '../identity/sha256.ts';
import { parsePlan } from './parse-plan.ts';
import type { TrackingPlan } from './plan-schema.ts';

/** The plan a site runs under now, as stored in KV under `plan:<site>`. */
export interface LivePlan {
  version: number;
  planHash: string;
  plan: TrackingPlan;
  updatedAt: number;
}

/** Same bound as policies and site configs (KV is eventually consistent anyway). */
export const PLAN_CACHE_MS = 30_000;
const MAX_CACHED = 1000;
const cache = new Map<string, { value: LivePlan | null; expires: number }>();

export const planKey = (siteId: string) => `plan:${siteId}`;

/** The live plan of a site, or null (then ingest checks nothing). A stored plan that no longer validates counts as none. */
export async function loadLivePlan(kv: KVNamespace, siteId: string): Promise<LivePlan | null> {
  const hit = cache.get(siteId);
  if (hit && hit.expires > Date.now()) return hit.value;
  const raw = await kv.get<{ version: number; planHash: string; plan: unknown; updatedAt: number }>(planKey(siteId), 'json');
  let value: LivePlan | null = null;
  if (raw) {
    const parsed = parsePlan(raw.plan);
    if (parsed.ok) value = { version: raw.version, planHash: raw.planHash, plan: parsed.plan, updatedAt: raw.updatedAt };
  }
  if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value!);
  cache.set(siteId, { value, expires: Date.now() + PLAN_CACHE_MS });
  return value;
}

export function clearPlanCache(): void {
  cache.clear();
}

/**
 * Records a validated plan as the site's next version: history row in D1 first, then the live copy
 * in KV (a failed history write never leaves an unrecorded live plan).
 * @example const live = await storePlan(env.CONFIG, env.DB, 'demo', plan, Date.now())
 */
export async function storePlan(kv: KVNamespace, db: D1Database, siteId: string, plan: TrackingPlan, now: number): Promise<LivePlan> {
  // Same canonical hash as policies: key order does not change the version id.
  const hash = await sha256Hex(canonicalJson(plan));
  const last = await db.prepare('SELECT MAX(version) AS v FROM plan_versions WHERE site_id = ?').bind(siteId).first<{ v: number | null }>();
  const version = (last?.v ?? 0) + 1;
  await db.prepare('INSERT INTO plan_versions (site_id, version, plan_hash, document, created_at) VALUES (?, ?, ?, ?, ?)').bind(siteId, version, hash, JSON.stringify(plan), now).run();
  const live: LivePlan = { version, planHash: hash, plan, updatedAt: now };
  await kv.put(planKey(siteId), JSON.stringify(live));
  clearPlanCache();
  return live;
}
