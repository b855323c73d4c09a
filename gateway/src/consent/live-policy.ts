import { parsePolicy, type Policy } from '@sluice/consent';

/** The policy a site runs under now, as stored in KV under `policy:<site>`. */
export interface LivePolicy {
  version: number;
  policyVersion: string;
  policy: Policy;
  updatedAt: number;
}

/** Same bound as site configs: KV is eventually consistent anyway (load-site-config.ts). */
export const POLICY_CACHE_MS = 30_000;

const cache = new Map<string, { value: LivePolicy | null; expires: number }>();

export function policyKey(siteId: string): string {
  return `policy:${siteId}`;
}

/**
 * The live policy of a site, or null when it has none (then ingest keeps its pre-policy
 * behaviour). A stored document that no longer validates counts as missing here; the admin
 * API only ever stores validated ones.
 */
export async function loadLivePolicy(kv: KVNamespace, siteId: string): Promise<LivePolicy | null> {
  const hit = cache.get(siteId);
  if (hit && hit.expires > Date.now()) return hit.value;
  const raw = await kv.get<{ version: number; policyVersion: string; policy: unknown; updatedAt: number }>(policyKey(siteId), 'json');
  let value: LivePolicy | null = null;
  if (raw) {
    const parsed = parsePolicy(raw.policy);
    if (parsed.ok) value = { version: raw.version, policyVersion: raw.policyVersion, policy: parsed.policy, updatedAt: raw.updatedAt };
  }
  cache.set(siteId, { value, expires: Date.now() + POLICY_CACHE_MS });
  return value;
}

/** Tests and the admin API call this after writing KV. */
export function clearPolicyCache(): void {
  cache.clear();
}
