import { scrubUrl } from './scrub-url.ts';
import type { MinimizationRules } from './minimization-rules.ts';

const EMAIL = /[^\s@<>()[\]"',;:/?#&=]+@[^\s@<>()[\]"',;:/?#&=]+\.[a-z]{2,}/gi;
/** Phone numbers in running text: a leading + or separators between digit groups (bare digit runs are too often order ids). */
const PHONE = /(?:\+\d[\d\s().-]{6,22}\d|\(?\d{2,4}\)?[\s.-]\d{2,4}[\s.-]\d{2,6}(?:[\s.-]\d{2,6})?)/g;
const URL_IN_TEXT = /\bhttps?:\/\/[^\s"'<>]+/gi;
/** A value that is all phone: 10-15 digits with optional separators. */
const WHOLE_PHONE = /^\+?[\d\s().-]{10,24}$/;

/**
 * Free text without the personal data the rules recognize: URLs scrubbed (personal parameters,
 * tokens, credentials; `scrubUrl`), emails and phone numbers replaced by the placeholder.
 * @example scrubText('call +49 30 1234567 or mail jane@x.io', DEFAULT_MINIMIZATION) // 'call [redacted] or mail [redacted]'
 */
export function scrubText(text: string, rules: MinimizationRules): string {
  let out = text.replace(URL_IN_TEXT, (url) => scrubUrl(url, rules.url) ?? rules.placeholder);
  out = out.replace(EMAIL, rules.placeholder);
  if (WHOLE_PHONE.test(out.trim()) && (out.replace(/\D/g, '').length >= 10)) return rules.placeholder;
  return out.replace(PHONE, (match) => (match.replace(/\D/g, '').length >= 7 ? rules.placeholder : match));
}
