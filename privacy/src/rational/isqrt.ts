/**
 * The integer square root ⌊√n⌋ of a non-negative bigint (Newton's method on integers).
 * @example
 * isqrt(10n); // 3n
 */
export function isqrt(n: bigint): bigint {
  if (n < 0n) throw new RangeError('isqrt: negative input');
  if (n < 2n) return n;
  let x = n;
  let y = (x + 1n) / 2n;
  while (y < x) {
    x = y;
    y = (x + n / x) / 2n;
  }
  return x;
}
