import { DEFAULT_URL_RULES, type UrlRules } from './url-rules.ts';

/**
 * A site's minimization at ingest, as data: what happens to the request IP and user agent, which
 * URL parameters survive, and how free-text properties are scrubbed. Sites set it in their tracking
 * plan (`minimization`); without one these defaults apply.
 */
export interface MinimizationRules {
  /** `truncate`: IPv4 to /24, IPv6 to /48 (`ipv4Prefix`, `ipv6Prefix`); `drop`: no IP leaves the request. */
  ip: 'keep' | 'truncate' | 'drop';
  ipv4Prefix: number;
  ipv6Prefix: number;
  /** `generalize`: browser, major version and OS only (`Chrome/120 (Windows)`). */
  userAgent: 'keep' | 'generalize' | 'drop';
  /** Page URLs, referrers and URL-valued properties. */
  url: UrlRules;
  /** Property keys removed wherever they appear (compared lowercased, without `-`, `_`, spaces). */
  dropPropertyKeysContaining: readonly string[];
  /** Emails, phone numbers, URLs with personal parameters inside free-text property values are scrubbed. */
  scrubPropertyText: boolean;
  /** What stands in for a personal value inside free text. */
  placeholder: string;
}

/** Attribution click ids: kept in URLs only when the site allows them (`keepClickIds`). */
export const CLICK_ID_PARAMS: readonly string[] = ['gclid', 'dclid', 'gbraid', 'wbraid', 'fbclid', 'ttclid', 'msclkid', 'twclid', 'li_fat_id', 'epik'];

export const DEFAULT_MINIMIZATION: MinimizationRules = {
  // Destinations' own policy rules (consent `fields.context.ip`) still apply on top; IPs are never stored.
  ip: 'keep',
  ipv4Prefix: 24,
  ipv6Prefix: 48,
  userAgent: 'keep',
  url: DEFAULT_URL_RULES,
  dropPropertyKeysContaining: [
    'email', 'phone', 'mobile', 'passw', 'token', 'secret', 'ssn', 'iban', 'cardnumber', 'creditcard', 'cvv', 'birth',
    'street', 'address', 'postcode', 'postalcode', 'zipcode', 'firstname', 'lastname', 'surname', 'fullname', 'username',
  ],
  scrubPropertyText: true,
  placeholder: '[redacted]',
};

/** The site's choices as the tracking plan states them. */
export interface SiteMinimization {
  ip?: MinimizationRules['ip'];
  userAgent?: MinimizationRules['userAgent'];
  /** Click ids in URLs: kept (default) or dropped like any other parameter. */
  keepClickIds?: boolean;
  /** More parameters to keep or drop, and more property keys to drop. */
  keepParams?: readonly string[];
  dropParams?: readonly string[];
  dropPropertyKeys?: readonly string[];
  scrubPropertyText?: boolean;
}

/**
 * The rules for one site: defaults with the site's choices applied.
 * @example minimizationRules({ ip: 'truncate', keepClickIds: false }).url.keepParams.includes('gclid') // false
 */
export function minimizationRules(site: SiteMinimization | undefined): MinimizationRules {
  if (!site) return DEFAULT_MINIMIZATION;
  const norm = (k: string) => k.toLowerCase().replaceAll('-', '_');
  const extraDrop = (site.dropParams ?? []).map(norm);
  let keep = [...DEFAULT_URL_RULES.keepParams, ...(site.keepParams ?? []).map(norm)].filter((k) => !extraDrop.includes(k));
  if (site.keepClickIds === false) keep = keep.filter((k) => !CLICK_ID_PARAMS.includes(k));
  return {
    ...DEFAULT_MINIMIZATION,
    ip: site.ip ?? DEFAULT_MINIMIZATION.ip,
    userAgent: site.userAgent ?? DEFAULT_MINIMIZATION.userAgent,
    scrubPropertyText: site.scrubPropertyText ?? DEFAULT_MINIMIZATION.scrubPropertyText,
    url: {
      ...DEFAULT_URL_RULES,
      keepParams: keep,
      dropParams: [...DEFAULT_URL_RULES.dropParams, ...extraDrop, ...(site.keepClickIds === false ? CLICK_ID_PARAMS : [])],
    },
    dropPropertyKeysContaining: [...DEFAULT_MINIMIZATION.dropPropertyKeysContaining, ...(site.dropPropertyKeys ?? []).map((k) => k.toLowerCase().replace(/[-_\s]/g, ''))],
  };
}
