import countries from './data/countries.v1.json' with { type: 'json' };

/** ISO 3166-1 alpha-2 codes, lowercase (data/countries.v1.json: the one list, with its source). */
const ISO_ALPHA2 = new Set(countries.iso3166Alpha2.toLowerCase().split(' '));

/** Lowercase, accents and everything but letters removed: "Royaume-Uni" and "royaume uni" are one key. */
function nameKey(raw: string): string {
  return raw.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/[^\p{L}]/gu, '');
}

const ALIASES = new Map<string, string>();
for (const [code, names] of Object.entries(countries.aliases)) for (const name of names) ALIASES.set(nameKey(name), code);
const PLACEHOLDERS = new Set(countries.placeholders.map((p) => p.trim().toLowerCase()));

/**
 * ISO 3166-1 alpha-2, lowercase, or undefined. A value is a code only when it is exactly two
 * letters on the ISO list (so "NA" is Namibia but "N.A." and "n/a" are placeholders, and "XX",
 * "EU" are not countries), or a listed name or alias ("Deutschland", "U.K.", "日本"). Anything else,
 * placeholders included, is absent rather than guessed.
 * @example normalizeCountry('Royaume-Uni') // 'gb'
 */
export function normalizeCountry(raw: string): string | undefined {
  const text = raw.normalize('NFC').trim().replace(/\s+/g, ' ');
  const lower = text.toLowerCase();
  if (PLACEHOLDERS.has(lower)) return undefined;
  if (/^[a-z]{2}$/.test(lower) && ISO_ALPHA2.has(lower)) return lower;
  return ALIASES.get(nameKey(text));
}
