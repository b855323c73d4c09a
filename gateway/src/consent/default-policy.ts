import { parsePolicy, policyHash, type Policy } from '@sluice/consent';
import defaultDocument from '../../../consent/policies/default.json';
import type { SiteConfig } from '../site-config/site-config.ts';
import type { LivePolicy } from './live-policy.ts';

/**
 * The built-in policy (consent/policies/default.json) for a site that has not set its own:
 * EEA/UK/CH opt-in (a TCF or Consent Mode grant is needed), US state opt-outs (GPC, GPP) honoured,
 * elsewhere allowed under notice; IP truncated to /24 and /48, query strings stripped, everywhere.
 * Its destinations are keyed by destination type; each of the site's destinations gets the rule of
 * its type. `version` 0 marks it in receipts and in `/v1/config`.
 * @example const live = await defaultLivePolicy(site) // live.version === 0
 */
export async function defaultLivePolicy(site: SiteConfig): Promise<LivePolicy> {
  const key = JSON.stringify(Object.entries(site.destinations).map(([k, d]) => [k, d.type]));
  const hit = cache.get(key);
  if (hit) return hit;
  const document = structuredClone(defaultDocument) as unknown as Policy;
  const byType = document.destinations;
  document.destinations = Object.fromEntries(Object.entries(site.destinations).flatMap(([k, d]) => (byType[d.type] ? [[k, byType[d.type]!]] : [])));
  const parsed = parsePolicy(document);
  // The shipped file is checked by its unit test; a broken one must fail loudly, never fall open.
  if (!parsed.ok) throw new Error(`built-in default policy is invalid: ${parsed.issues[0]!.path}`);
  const live: LivePolicy = { version: 0, policyVersion: await policyHash(parsed.policy), policy: parsed.policy, updatedAt: 0 };
  if (cache.size > 1000) cache.clear();
  cache.set(key, live);
  return live;
}

const cache = new Map<string, LivePolicy>();
