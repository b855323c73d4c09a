import { policyHash, type Policy } from '@sluice/consent';
import { clearPolicyCache, policyKey, type LivePolicy } from '../../consent/live-policy.ts';

/**
 * Records a validated policy as the site's next version: history row in D1 first, then the
 * live copy in KV (so a failed history write never leaves an unrecorded live policy).
 */
export async function storePolicy(kv: KVNamespace, db: D1Database, siteId: string, policy: Policy, now: number): Promise<LivePolicy> {
  const hash = await policyHash(policy);
  const last = await db.prepare('SELECT MAX(version) AS v FROM policy_versions WHERE site_id = ?').bind(siteId).first<{ v: number | null }>();
  const version = (last?.v ?? 0) + 1;
  await db
    .prepare('INSERT INTO policy_versions (site_id, version, policy_hash, document, created_at) VALUES (?, ?, ?, ?, ?)')
    .bind(siteId, version, hash, JSON.stringify(policy), now)
    .run();
  const live: LivePolicy = { version, policyVersion: hash, policy, updatedAt: now };
  await kv.put(policyKey(siteId), JSON.stringify(live));
  clearPolicyCache();
  return live;
}
