import { DIMENSION_VALUE, NONE, OTHER } from './dimensions.ts';

/** A run of this many digits looks like a phone number or an id: never kept as a discovered key. */
const DIGIT_RUN = /\d{7,}/;

/**
 * Normalizes a raw dimension value (UTM string, property) before it is counted. With a
 * catalogue, anything not declared becomes `(other)`; without one (a key discovered by DP
 * partition selection), only short lowercase tokens with a letter and no long digit run are
 * kept, so an email, phone number, URL or free text never becomes a stored key.
 * @example
 * normalizeValue(' Spring_Sale ', ['spring_sale']); // 'spring_sale'
 * normalizeValue('jane@example.com', undefined);   // '(other)'
 */
export function normalizeValue(raw: unknown, catalogue: readonly string[] | undefined): string {
  if (raw === undefined || raw === null || raw === '') return NONE;
  if (typeof raw !== 'string' && typeof raw !== 'number') return OTHER;
  const value = String(raw).trim().toLowerCase();
  if (!value) return NONE;
  if (catalogue) return catalogue.includes(value) ? value : OTHER;
  return DIMENSION_VALUE.test(value) && /[a-z]/.test(value) && !DIGIT_RUN.test(value) ? value : OTHER;
}
