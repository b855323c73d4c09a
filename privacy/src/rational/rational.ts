/**
 * An exact rational number `num / den` with `den > 0` and `gcd(|num|, den) = 1`. Privacy
 * parameters (ε, δ, noise scales) are carried as rationals so that no floating-point rounding
 * ever reaches a sampler or the budget ledger (privacy.md §1.2: "epsilon must be a rational").
 * @example
 * const eps = rational(1n, 10n); // 1/10
 * formatRational(add(eps, eps)); // "1/5"
 */
export interface Rational {
  readonly num: bigint;
  readonly den: bigint;
}

/** Builds a normalized rational; throws on a zero denominator (a programming error, never input). */
export function rational(num: bigint, den: bigint = 1n): Rational {
  if (den === 0n) throw new RangeError('rational: zero denominator');
  const sign = den < 0n ? -1n : 1n;
  const g = gcd(abs(num), abs(den));
  return { num: (sign * num) / g, den: (sign * den) / g };
}

export function gcd(a: bigint, b: bigint): bigint {
  let x = a;
  let y = b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x === 0n ? 1n : x;
}

export function abs(a: bigint): bigint {
  return a < 0n ? -a : a;
}

export function add(a: Rational, b: Rational): Rational {
  return rational(a.num * b.den + b.num * a.den, a.den * b.den);
}

export function sub(a: Rational, b: Rational): Rational {
  return rational(a.num * b.den - b.num * a.den, a.den * b.den);
}

export function mul(a: Rational, b: Rational): Rational {
  return rational(a.num * b.num, a.den * b.den);
}

/** `a / b`; throws when `b` is zero. */
export function div(a: Rational, b: Rational): Rational {
  return rational(a.num * b.den, a.den * b.num);
}

/** -1, 0 or 1 as `a` is below, equal to or above `b`. */
export function compare(a: Rational, b: Rational): bigint {
  const l = a.num * b.den;
  const r = b.num * a.den;
  return l < r ? -1n : l > r ? 1n : 0n;
}

/** The largest integer ≤ `a` (BigInt division truncates toward zero; this floors). */
export function floor(a: Rational): bigint {
  const q = a.num / a.den;
  return a.num < 0n && q * a.den !== a.num ? q - 1n : q;
}

/** `"n/d"`, or `"n"` for integers: the exact form the ledger and the report API print. */
export function formatRational(a: Rational): string {
  return a.den === 1n ? `${a.num}` : `${a.num}/${a.den}`;
}
