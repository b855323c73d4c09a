import { rational, type Rational } from '../rational/rational.ts';

export type RationalResult = { ok: true; value: Rational } | { ok: false; reason: string };

/** Longest decimal or fraction accepted; keeps BigInt sizes (and sampler loops) bounded. */
export const MAX_RATIONAL_TEXT = 40;
/** Largest decimal exponent accepted (`1e-20`): beyond it a parameter is nonsense, not a budget. */
export const MAX_EXPONENT = 20;

const DECIMAL = /^(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;
const FRACTION = /^(\d+)\/(\d+)$/;

/**
 * Converts ε (or δ, ρ) to an exact rational. A string is read as written: a decimal (`"0.1"`,
 * `"1e-3"`) or a fraction (`"1/3"`). A JavaScript number is first printed with `String(n)`,
 * which gives the shortest decimal that reads back as the same double (ECMA-262
 * Number::toString), so `0.1` becomes exactly 1/10 — what the caller wrote — and not the binary
 * double 0.1000000000000000055511151231257827. Negative, non-finite and over-long input is refused.
 * @example
 * parseRational('0.25'); // { ok: true, value: { num: 1n, den: 4n } }
 * parseRational(0.1);    // { ok: true, value: { num: 1n, den: 10n } }
 */
export function parseRational(input: unknown): RationalResult {
  const text = typeof input === 'number' ? (Number.isFinite(input) ? String(input) : '') : typeof input === 'string' ? input.trim() : '';
  if (!text || text.length > MAX_RATIONAL_TEXT) return { ok: false, reason: 'expected a non-negative decimal or fraction' };
  const fraction = FRACTION.exec(text);
  if (fraction) {
    const den = BigInt(fraction[2]!);
    if (den === 0n) return { ok: false, reason: 'zero denominator' };
    return { ok: true, value: rational(BigInt(fraction[1]!), den) };
  }
  const decimal = DECIMAL.exec(text);
  if (!decimal) return { ok: false, reason: 'expected a non-negative decimal or fraction' };
  const [, whole, frac = '', exp = '0'] = decimal;
  const exponent = Number(exp) - frac.length;
  if (Math.abs(Number(exp)) > MAX_EXPONENT) return { ok: false, reason: 'exponent out of range' };
  const digits = BigInt(`${whole}${frac}`);
  const value = exponent >= 0 ? rational(digits * 10n ** BigInt(exponent)) : rational(digits, 10n ** BigInt(-exponent));
  return { ok: true, value };
}
