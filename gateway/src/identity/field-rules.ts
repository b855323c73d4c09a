/**
 * Normalization rules for single identity fields, as the vendors document them (sources in
 * /work/shared/docs/capi.md §1, §2a, §2c, §3). Each returns the normalized text, or undefined
 * when the input cannot be a valid value (sending garbage only lowers match rates).
 */

/** Unicode letters only survive; one canonical composition so "é" hashes the same however typed. */
const NON_LETTER = /[^\p{L}]/gu;
const PUNCT_SYMBOL_SPACE = /[\p{P}\p{S}\s]/gu;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function clean(raw: string): string {
  return raw.normalize('NFC').trim().toLowerCase();
}

/**
 * RFC 5322 `name-addr`: an optional display name (quoted or not) and the address in angle
 * brackets, `Erika Muster <erika@example.org>` or `"Muster, Erika" <erika@example.org>`.
 */
const NAME_ADDR = /^(?:"(?:[^"\\]|\\.)*"|[^<>"@]*)\s*<([^<>]*)>$/;

/**
 * Trim and lowercase; a display-name form gives its address. An address with whitespace inside
 * is rejected, never squeezed: `erika muster@example.org` is nobody's address, and removing the
 * space makes a plausible one of somebody else. Google also drops dots and `+tag` in
 * gmail/googlemail local parts.
 * @example normalizeEmail('Erika Muster <Erika@Example.org>') // 'erika@example.org'
 */
export function normalizeEmail(raw: string, googleRules = false): string | undefined {
  const text = clean(raw);
  const email = (NAME_ADDR.exec(text)?.[1] ?? text).trim();
  if (!EMAIL.test(email)) return undefined;
  if (!googleRules) return email;
  const at = email.lastIndexOf('@');
  const domain = email.slice(at + 1);
  if (domain !== 'gmail.com' && domain !== 'googlemail.com') return email;
  const local = email.slice(0, at).split('+')[0]!.replace(/\./g, '');
  return local ? `${local}@${domain}` : undefined;
}

export { normalizePhone, readPhone, type PhoneReading } from './normalize-phone.ts';
export { normalizeCountry } from './normalize-country.ts';

/** Meta fn/ln: lowercase, punctuation, symbols and spaces removed, UTF-8 letters and digits kept. */
export function normalizeNameCompact(raw: string): string | undefined {
  return clean(raw).replace(PUNCT_SYMBOL_SPACE, '') || undefined;
}

/** Prefixes dropped from given names (Data Manager formatting; Google's UserDataFormatter drops mr/mrs/ms/dr). */
const GIVEN_NAME_PREFIXES = new Set(['mr', 'mrs', 'ms', 'miss', 'mx', 'dr', 'prof']);
/** Suffixes dropped from family names: the list of Google's UserDataFormatter (googleads/data-manager-node util). */
const FAMILY_NAME_SUFFIXES = new Set(['jr', 'sr', '2nd', '3rd', 'ii', 'iii', 'iv', 'v', 'vi', 'cpa', 'dc', 'dds', 'vm', 'jd', 'md', 'phd']);

/**
 * Google given/family name: lowercase, trimmed, inner spaces kept (single); prefixes (Mrs.) dropped
 * from given names, suffixes (Jr., III, PhD) from family names; then digits and symbols removed
 * (GA4 user-provided data: "remove digits and symbols").
 */
export function normalizeNameSpaced(raw: string, part: 'given' | 'family'): string | undefined {
  const words = clean(raw).split(/[\s,]+/).filter(Boolean);
  const bare = (word: string) => word.replace(/[^\p{L}\p{N}]/gu, '');
  if (part === 'given') while (words.length > 1 && GIVEN_NAME_PREFIXES.has(bare(words[0]!))) words.shift();
  else while (words.length > 1 && FAMILY_NAME_SUFFIXES.has(bare(words[words.length - 1]!))) words.pop();
  return (
    words
      .map((w) => w.replace(/[^\p{L}\p{M}]/gu, ''))
      .filter(Boolean)
      .join(' ') || undefined
  );
}

/** Meta ct: lowercase letters only (no punctuation, digits, special characters or spaces). */
export function normalizeCityCompact(raw: string): string | undefined {
  return clean(raw).replace(NON_LETTER, '') || undefined;
}

/** Google city/region (sent in clear): lowercase, digits and symbols removed, trimmed, single spaces. */
export function normalizeSpacedLetters(raw: string): string | undefined {
  return (
    clean(raw)
      .replace(/[^\p{L}\p{M}\s]/gu, '')
      .replace(/\s+/g, ' ')
      .trim() || undefined
  );
}

/** US states and Canadian provinces by name → the 2-letter code Meta asks for (`st`). */
const STATE_CODES: Record<string, string> = {
  alabama: 'al', alaska: 'ak', arizona: 'az', arkansas: 'ar', california: 'ca', colorado: 'co', connecticut: 'ct',
  delaware: 'de', districtofcolumbia: 'dc', florida: 'fl', georgia: 'ga', hawaii: 'hi', idaho: 'id', illinois: 'il',
  indiana: 'in', iowa: 'ia', kansas: 'ks', kentucky: 'ky', louisiana: 'la', maine: 'me', maryland: 'md',
  massachusetts: 'ma', michigan: 'mi', minnesota: 'mn', mississippi: 'ms', missouri: 'mo', montana: 'mt',
  nebraska: 'ne', nevada: 'nv', newhampshire: 'nh', newjersey: 'nj', newmexico: 'nm', newyork: 'ny',
  northcarolina: 'nc', northdakota: 'nd', ohio: 'oh', oklahoma: 'ok', oregon: 'or', pennsylvania: 'pa',
  rhodeisland: 'ri', southcarolina: 'sc', southdakota: 'sd', tennessee: 'tn', texas: 'tx', utah: 'ut',
  vermont: 'vt', virginia: 'va', washington: 'wa', westvirginia: 'wv', wisconsin: 'wi', wyoming: 'wy',
  ontario: 'on', quebec: 'qc', britishcolumbia: 'bc', alberta: 'ab', saskatchewan: 'sk', manitoba: 'mb',
  novascotia: 'ns', newbrunswick: 'nb', princeedwardisland: 'pe', newfoundlandandlabrador: 'nl',
};

/** Meta st: US/CA names become 2-letter codes; other regions lowercase without punctuation or spaces. */
export function normalizeStateCompact(raw: string): string | undefined {
  const letters = normalizeCityCompact(raw);
  return letters && (STATE_CODES[letters] ?? letters);
}

/** US ZIP (with or without +4) → first 5 digits (Meta zp). */
const US_ZIP = /^(\d{5})(?:-?\d{4})?$/;

/** Meta zp: lowercase, no spaces, no dashes; US ZIP+4 cut to 5 digits. */
export function normalizePostalCompact(raw: string): string | undefined {
  const trimmed = clean(raw);
  const us = US_ZIP.exec(trimmed.replace(/\s+/g, ''));
  if (us) return us[1];
  const zip = trimmed.replace(/[\s-]/g, '');
  return zip.length >= 2 ? zip : undefined;
}

/** Google postal_code (sent in clear): `.` and `~` removed, trimmed. */
export function normalizePostalGoogle(raw: string): string | undefined {
  return raw.normalize('NFC').replace(/[.~]/g, '').trim() || undefined;
}

/** Earliest birth year accepted; anything older is a typo or a placeholder. */
const MIN_BIRTH_YEAR = 1900;

/**
 * A time of day after a date (`T08:15`, ` 08:15:00.000`, `T00:00:00Z`, `+02:00`, `-0500`, ` UTC`):
 * CRMs and forms send birth dates as datetimes. It is cut off, never applied: a birth date is a
 * calendar date, and shifting `1988-07-21T00:00:00+02:00` to UTC would make it the 20th.
 */
const TIME_PART = /(?:T|\s+)\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d{1,9})?)?\s*(?:[ap]\.?m\.?)?\s*(?:Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?$/i;

/**
 * Date of birth as `YYYYMMDD` (Meta db). Accepts ISO order (`1990-07-04`, `19900704`) and
 * day/month/year orders only when unambiguous (one part above 12); rejects impossible dates.
 * A time part is dropped and the date kept as written (no time-zone shift).
 * @example normalizeBirthdate('1988-07-21T00:00:00.000Z') // '19880721'
 */
export function normalizeBirthdate(raw: string, now = Date.now()): string | undefined {
  const parts = raw.trim().replace(TIME_PART, '').split(/[^0-9]+/).filter(Boolean);
  let ymd: [number, number, number] | undefined;
  if (parts.length === 1 && /^\d{8}$/.test(parts[0]!)) {
    const p = parts[0]!;
    ymd = [Number(p.slice(0, 4)), Number(p.slice(4, 6)), Number(p.slice(6, 8))];
  } else if (parts.length === 3) {
    const [a, b, c] = parts.map(Number) as [number, number, number];
    if (parts[0]!.length === 4) ymd = [a, b, c];
    else if (parts[2]!.length === 4 && a > 12 && b <= 12) ymd = [c, b, a];
    else if (parts[2]!.length === 4 && b > 12 && a <= 12) ymd = [c, a, b];
    else if (parts[2]!.length === 4 && a === b) ymd = [c, a, b];
  }
  if (!ymd) return undefined;
  const [y, m, d] = ymd;
  const date = new Date(Date.UTC(y, m - 1, d));
  const valid = date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
  if (!valid || y < MIN_BIRTH_YEAR || date.getTime() > now) return undefined;
  return `${y}${String(m).padStart(2, '0')}${String(d).padStart(2, '0')}`;
}

const FEMALE = new Set(['f', 'female', 'woman', 'w']);
const MALE = new Set(['m', 'male', 'man']);

/** Meta ge: `f` or `m`; anything else is not sent. */
export function normalizeGender(raw: string): string | undefined {
  const g = clean(raw).replace(/[^a-z]/g, '');
  return FEMALE.has(g) ? 'f' : MALE.has(g) ? 'm' : undefined;
}

/** External id: trimmed, lowercase, whitespace removed, as both of Meta's libraries do before hashing. */
export function normalizeExternalId(raw: string): string | undefined {
  return clean(raw).replace(/\s+/g, '') || undefined;
}
