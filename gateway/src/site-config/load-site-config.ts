import { SiteConfig } from './site-config.ts';

/** KV is eventually consistent anyway; a short in-isolate cache saves a KV read per request. */
export const SITE_CONFIG_CACHE_MS = 30_000;

const cache = new Map<string, { value: SiteConfig | null; expires: number }>();

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
  if (hit && hit.expires > Date.now()) return hit.value;
  const value = await load();
  cache.set(key, { value, expires: Date.now() + SITE_CONFIG_CACHE_MS });
  return value;
}

/** Tests and the admin API call this after writing KV. */
export function clearSiteConfigCache(): void {
  cache.clear();
}
