import { parsePhoneNumberFromString, type CountryCode, type PhoneNumber } from 'libphonenumber-js/max';

/*
 * Why `max` metadata: its `isValid()` checks each region's number ranges, `min` only lengths and
 * leading digits. Trying the default regions in order (below) is only safe when "valid" means a
 * number that exists in that region; with lengths alone a national number is "valid" in far more
 * regions, and a wrong region is a hash of somebody else's number. Measured cost, gzipped Worker
 * bundle (`npx esbuild gateway/src/index.ts --bundle --format=esm --platform=neutral
 * --external:cloudflare:* --minify | gzip -c | wc -c`, 2026-12-02): 181,599 B before issue 8;
 * 185,933 B with everything but the library; 216,265 B with `min` (+30.3 KB); 238,016 B with `max`
 * (+52.1 KB). 22 KB more for range checks is cheap next to the Workers script limit (3 MB gzip on
 * the free plan) and to matching the wrong person.
 */

/** What a phone number could be read as: E.164 (`+` and digits), or not a number of any region. */
export type PhoneReading = { ok: true; e164: string } | { ok: false };

const INVALID: PhoneReading = { ok: false };
/** Extension markers with letters (`ext. 12`, `extension 12`, `x12`), allowed through the letter check; E.164 drops the extension. */
const EXTENSION = /(?:ext(?:ension)?\.?|x)\s*\d+\s*$/iu;

/**
 * Reads a phone number as E.164 with libphonenumber (the `max` metadata).
 *
 * `regions` are the default regions for a number written without its country code, best first
 * (the event's address country, the site's `defaultCountry`, the request's country; see
 * `phoneRegions`). The number is read in each of them in turn and the first reading that is a
 * valid number wins; after them, as written with a country code (`+33…`, `0033…`, or `33…` without
 * `+`, which is how Meta documents the field). A number written with `+` or `00` that is not
 * valid but has a possible length for its country is kept too (its range may be newer than the
 * metadata); a national number must be valid, since guessing its country wrongly sends someone
 * else's number. Trunk prefixes are handled per country: `+33 (0)6…` loses the `(0)`, while
 * Italy's leading 0 stays (`+39 06…`).
 * @example readPhone('07911 123456', ['GB']) // { ok: true, e164: '+447911123456' }
 */
export function readPhone(raw: string, regions: readonly string[] = []): PhoneReading {
  // `tel:` URIs (RFC 3966) come from links copied into forms.
  const text = raw.normalize('NFKC').trim().replace(/^tel:/i, '');
  // Letters other than an extension marker are not a phone number (libphonenumber would read
  // "1-800-FLOWERS" as digits; a form field saying "call me" is not a number).
  if (!/\d/.test(text) || /\p{L}/u.test(text.replace(EXTENSION, ''))) return INVALID;
  const international = /^(\+|00)/.test(text);
  for (const region of regions) {
    const parsed = parse(text, region);
    if (parsed?.isValid()) return e164(parsed);
  }
  const digits = text.replace(/\D/g, '');
  const asInternational = international ? parse(`+${text.replace(/^\s*(\+|00)/, '')}`) : parse(`+${digits}`);
  if (asInternational?.isValid()) return e164(asInternational);
  if (international && asInternational?.isPossible()) return e164(asInternational);
  return INVALID;
}

/**
 * The phone as a vendor takes it: Meta digits with country code and no `+`, Google and TikTok
 * E.164 with `+`. `read` may be a request memo's `readPhone`.
 * @example normalizePhone('07911 123456', false, ['GB']) // '447911123456'
 */
export function normalizePhone(raw: string, withPlus: boolean, regions: readonly string[] = [], read: (raw: string, regions: readonly string[]) => PhoneReading = readPhone): string | undefined {
  const reading = read(raw, regions);
  if (!reading.ok) return undefined;
  return withPlus ? reading.e164 : reading.e164.slice(1);
}

function parse(text: string, region?: string): PhoneNumber | undefined {
  try {
    return parsePhoneNumberFromString(text, { defaultCountry: region as CountryCode | undefined, extract: false });
  } catch {
    return undefined;
  }
}

function e164(number: PhoneNumber): PhoneReading {
  return { ok: true, e164: number.number };
}
