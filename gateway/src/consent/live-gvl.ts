import { Gvl } from '@sluice/consent';

/** KV key of the Global Vendor List the gateway judges TC strings against (consent.md §1.4b). */
export const GVL_KEY = 'gvl:current';
/** The GVL changes weekly at most; an hour in-isolate is plenty. */
export const GVL_CACHE_MS = 60 * 60 * 1000;

let cached: { value: Gvl | undefined; expires: number } | undefined;

/** The stored GVL, or undefined (then TCF vendor checks deny, and the receipt says why). */
export async function loadGvl(kv: KVNamespace): Promise<Gvl | undefined> {
  if (cached && cached.expires > Date.now()) return cached.value;
  const parsed = Gvl.safeParse(await kv.get(GVL_KEY, 'json'));
  cached = { value: parsed.success ? parsed.data : undefined, expires: Date.now() + GVL_CACHE_MS };
  return cached.value;
}

export function clearGvlCache(): void {
  cached = undefined;
}
