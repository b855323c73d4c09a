import { describe, expect, it } from 'vitest';
import { add, compare, div, floor, formatRational, mul, rational, sub } from './rational.ts';
import { isqrt } from './isqrt.ts';

describe('rational', () => {
  it('normalizes sign and common factors', () => {
    expect(rational(2n, -4n)).toEqual({ num: -1n, den: 2n });
    expect(rational(0n, 7n)).toEqual({ num: 0n, den: 1n });
    expect(() => rational(1n, 0n)).toThrow(RangeError);
  });

  it('adds, subtracts, multiplies and divides exactly', () => {
    const tenth = rational(1n, 10n);
    let sum = rational(0n);
    for (let i = 0; i < 10; i++) sum = add(sum, tenth);
    expect(sum).toEqual(rational(1n)); // 0.1 added ten times is exactly 1 (in doubles it is 0.9999999999999999)
    expect(formatRational(sub(rational(1n, 3n), rational(1n, 2n)))).toBe('-1/6');
    expect(formatRational(mul(rational(2n, 3n), rational(9n, 4n)))).toBe('3/2');
    expect(formatRational(div(rational(1n, 2n), rational(1n, 4n)))).toBe('2');
  });

  it('compares and floors (toward −∞)', () => {
    expect(compare(rational(1n, 3n), rational(333n, 1000n))).toBe(1n);
    expect(compare(rational(2n, 4n), rational(1n, 2n))).toBe(0n);
    expect(floor(rational(7n, 2n))).toBe(3n);
    expect(floor(rational(-7n, 2n))).toBe(-4n);
    expect(floor(rational(-6n, 2n))).toBe(-3n);
  });

  it('isqrt is the floor of the square root', () => {
    for (let n = 0n; n < 2000n; n++) {
      const r = isqrt(n);
      expect(r * r <= n && (r + 1n) * (r + 1n) > n).toBe(true);
    }
    expect(isqrt(10n ** 40n + 1n)).toBe(10n ** 20n);
  });
});
