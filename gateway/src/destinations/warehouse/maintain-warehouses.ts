import { durationMs } from '@sluice/consent';
import type { Env } from '../../env.ts';
import { loadLivePolicy } from '../../consent/live-policy.ts';
import { loadSite } from '../../site-config/load-site-config.ts';
import type { SiteConfig, WarehouseDestinationConfig } from '../../site-config/site-config.ts';
import { WAREHOUSE_DEFAULT_RETENTION } from './warehouse-limits.ts';
import { warehouseWriterFor } from './warehouse-target.ts';

const DAY_MS = 86_400_000;

/** Retention in whole days: the destination's own (or the default), shortened by the policy's `retention.warehouse`. */
export function warehouseRetentionDays(config: WarehouseDestinationConfig, policyRetention: string | undefined): number {
  const own = durationMs(config.retention ?? WAREHOUSE_DEFAULT_RETENTION)!;
  const policy = durationMs(policyRetention);
  return Math.floor(Math.min(own, policy ?? Infinity) / DAY_MS);
}

/**
 * Scheduled maintenance of every warehouse destination: small files compacted, partitions past
 * retention deleted. Sites are found by listing KV `site:` keys (one list page per 1,000 sites).
 */
export async function maintainWarehouses(env: Env, now = Date.now()): Promise<number> {
  let maintained = 0;
  let cursor: string | undefined;
  do {
    const page = await env.CONFIG.list({ prefix: 'site:', cursor });
    for (const { name } of page.keys) {
      const site = await loadSite(env.CONFIG, name.slice('site:'.length));
      if (site) maintained += await maintainSite(env, site, now);
    }
    cursor = page.list_complete ? undefined : page.cursor;
  } while (cursor);
  return maintained;
}

/** Maintains one site's warehouse destinations; returns how many. */
export async function maintainSite(env: Env, site: SiteConfig, now = Date.now()): Promise<number> {
  const warehouses = Object.entries(site.destinations).filter((entry): entry is [string, WarehouseDestinationConfig] => entry[1].type === 'warehouse');
  if (!warehouses.length) return 0;
  const policy = await loadLivePolicy(env.CONFIG, site.id);
  for (const [key, config] of warehouses) {
    const days = warehouseRetentionDays(config, policy?.policy.retention.warehouse);
    await warehouseWriterFor(env.WAREHOUSE_WRITER, site.id, key).maintain(days, now);
  }
  return warehouses.length;
}
