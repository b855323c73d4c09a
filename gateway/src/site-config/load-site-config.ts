import { SiteConfig } from './site-config.ts';
import { LruTtlCache } from './lru-ttl-cache.ts';

/** KV is eventually consistent anyway; a short in-isolate cache saves a KV read per request. */
export const SITE_CONFIG_CACHE_MS = 30_000;
/** Unknown keys and sites are remembered briefly: enough to absorb a burst of random keys, short enough that a new site works at once. */
export const SITE_CONFIG_MISS_CACHE_MS = 5_000;
/** Entries per isolate (write keys and site ids): far above the sites one isolate serves, small in memory. */
export const SITE_CONFIG_CACHE_MAX = 1_000;

const cache = new LruTtlCache<SiteConfig | null>(SITE_CONFIG_CACHE_MAX);

/** Resolves a write key to its site config, or null when the key is unknown. */
export async function loadSiteByWriteKey(kv: KVNamespace, writeKey: string): Promise<SiteConfig | null> {
  return cached(`writekey:${writeKey}`, async () => {
    const siteId = await kv.get(`writekey:${writeKey}`);
    return siteId ? loadSite(kv, siteId) : null;
  });
}

/** Loads a site config by id; a config that fails validation counts as missing (and is reported by the admin API). */
export async function loadSite(kv: KVNamespace, siteId: string): Promise<SiteConfig | null> {
  return cached(`site:${siteId}`, async () => {
    const raw = await kv.get(`site:${siteId}`, 'json');
    const parsed = SiteConfig.safeParse(raw);
    return parsed.success ? parsed.data : null;
  });
}

async function cached(key: string, load: () => Promise<SiteConfig | null>): Promise<SiteConfig | null> {
  const hit = cache.get(key);
  if (hit) return hit.value;
  const value = await load();
  cache.set(key, value, value === null ? SITE_CONFIG_MISS_CACHE_MS : SITE_CONFIG_CACHE_MS);
  return value;
}

/** Entries held now (for tests of the bound). */
export function siteConfigCacheSize(): number {
  return cache.size;
}

/** Tests and the admin API call this after writing KV. */
export function clearSiteConfigCache(): void {
  cache.clear();
}
