import { floor, mul, parseRational, rational } from '@sluice/privacy';

/**
 * An event's value in integer minor units, exactly: the number is read through its shortest
 * decimal (`parseRational`), scaled by 10^decimals and floored, so 42.5 EUR is 4250 cents with no
 * float rounding. Missing, negative or malformed values count as 0 (the unit still counts once).
 * @example
 * minorUnits(42.5, 2); // 4250n
 */
export function minorUnits(raw: unknown, decimals: number): bigint {
  if (typeof raw !== 'number' && typeof raw !== 'string') return 0n;
  const parsed = parseRational(raw);
  if (!parsed.ok) return 0n;
  return floor(mul(parsed.value, rational(10n ** BigInt(decimals))));
}
