import { readCookie, storageAllowed, writeCookie } from './device-storage.ts';

/** Meta's pixel keeps `_fbp`/`_fbc` for 90 days ("ClickID and the fbp and fbc Parameters"). */
export const META_COOKIE_MAX_AGE_S = 90 * 86_400;

export interface VendorCookies {
  fbp?: string;
  fbc?: string;
  ttp?: string;
  ga?: string;
}

/**
 * Meta's browser ids in Meta's format: `_fbp` = `fb.1.<ms>.<random>`, `_fbc` = `fb.1.<ms>.<fbclid>`
 * (fbclid case kept). Existing cookies (from Meta's pixel) win; new ones are written only while
 * storage is allowed. TikTok's `_ttp` and GA's `_ga` are read, never written.
 */
export function vendorCookies(fbclid: string | undefined, fbclidAt: number | undefined, now = Date.now()): VendorCookies {
  const out: VendorCookies = {};
  let fbp = readCookie('_fbp');
  if (!fbp && storageAllowed()) {
    fbp = `fb.1.${now}.${crypto.getRandomValues(new Uint32Array(1))[0]}`;
    writeCookie('_fbp', fbp, META_COOKIE_MAX_AGE_S);
  }
  if (fbp) out.fbp = fbp;
  let fbc = readCookie('_fbc');
  if (fbclid && fbclidAt && !fbc?.endsWith(`.${fbclid}`)) {
    fbc = `fb.1.${fbclidAt}.${fbclid}`;
    writeCookie('_fbc', fbc, META_COOKIE_MAX_AGE_S);
  }
  if (fbc) out.fbc = fbc;
  const ttp = readCookie('_ttp');
  if (ttp) out.ttp = ttp;
  const ga = readCookie('_ga');
  if (ga) out.ga = ga;
  return out;
}
