import { scrubUrl } from './scrub-url.ts';
import type { MinimizationRules } from './minimization-rules.ts';

/** Local parts may hold almost anything (RFC 5322 atext: ! # $ % & ' * + / = ? ^ ` { | } ~); the domain may not. */
const EMAIL = /[^\s@<>()[\]",;:]+@[a-z0-9.-]+\.[a-z]{2,}/gi;
/**
 * Phone numbers in running text: a leading +, or three digit groups with separators and at least 9
 * digits (650-555-0100). Bare digit runs are too often order ids, and dates have 8 digits. A match
 * must stand on its own: not glued to letters or digits, and not a run of groups inside a hex token
 * (the all-digit groups of a UUID, `order-1c3a874f-1234-4567-8901-a4e6dbe7ef1d`, are no phone).
 */
const PHONE = /(?<![0-9A-Za-z]|[0-9A-Fa-f]-)(?:\+\d[\d\s().-]{6,22}\d|\(?\d{2,4}\)?[\s.-]\d{2,4}[\s.-]\d{2,6}(?:[\s.-]\d{2,6})?)(?![0-9A-Za-z]|-[0-9A-Fa-f])/g;
const URL_IN_TEXT = /\bhttps?:\/\/[^\s"'<>]+/gi;
/** A value that is all phone: a + and 7-15 digits with optional separators. */
const WHOLE_PHONE = /^\+[\d\s().-]{7,24}$/;

/**
 * Free text without the personal data the rules recognize: URLs scrubbed (personal parameters,
 * tokens, credentials; `scrubUrl`), emails and phone numbers replaced by the placeholder.
 * @example scrubText('call +49 30 1234567 or mail jane@x.io', DEFAULT_MINIMIZATION) // 'call [redacted] or mail [redacted]'
 */
export function scrubText(text: string, rules: MinimizationRules): string {
  let out = text.replace(URL_IN_TEXT, (url) => scrubUrl(url, rules.url) ?? rules.placeholder);
  out = out.replace(EMAIL, rules.placeholder);
  if (WHOLE_PHONE.test(out.trim())) return rules.placeholder;
  return out.replace(PHONE, (match) => {
    const digits = match.replace(/\D/g, '').length;
    return digits >= (match.startsWith('+') ? 7 : 9) ? rules.placeholder : match;
  });
}
