import { normalizeCountry } from './normalize-country.ts';

/** Where a phone number's default region may come from, best first. */
export interface PhoneRegionSources {
  /** The event's own address country, as the visitor or the site gave it (`user.country`: code or name). */
  addressCountry?: string | undefined;
  /** The site config's `defaultCountry` (ISO 3166-1 alpha-2). */
  defaultCountry?: string | undefined;
  /**
   * The request's edge country (`request.cf.country`), only where it may be used: callers pass it
   * only when the consent policy lets the request's IP reach the destination (see destinations/README.md).
   */
  requestCountry?: string | undefined;
}

/**
 * The default regions to read a national phone number in, best first, uppercase, without
 * repeats or non-countries: address country → site `defaultCountry` → request country.
 * @example phoneRegions({ addressCountry: 'Deutschland', defaultCountry: 'FR', requestCountry: 'DE' }) // ['DE', 'FR']
 */
export function phoneRegions(sources: PhoneRegionSources): string[] {
  const out: string[] = [];
  for (const raw of [sources.addressCountry, sources.defaultCountry, sources.requestCountry]) {
    const code = raw === undefined ? undefined : normalizeCountry(raw)?.toUpperCase();
    if (code && !out.includes(code)) out.push(code);
  }
  return out;
}
