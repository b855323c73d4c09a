import { describe, expect, it } from 'vitest';
import { formatRational } from '../rational/rational.ts';
import { parseRational } from './parse-rational.ts';

const exact = (input: unknown) => {
  const r = parseRational(input);
  return r.ok ? formatRational(r.value) : r.reason;
};

describe('parseRational', () => {
  it('reads decimal strings as written', () => {
    expect(exact('0.1')).toBe('1/10');
    expect(exact('1.25')).toBe('5/4');
    expect(exact('3')).toBe('3');
    expect(exact('1e-3')).toBe('1/1000');
    expect(exact('2.5E2')).toBe('250');
    expect(exact(' 0.5 ')).toBe('1/2');
  });

  it('reads fractions', () => {
    expect(exact('1/3')).toBe('1/3');
    expect(exact('4/6')).toBe('2/3');
    expect(exact('1/0')).toBe('zero denominator');
  });

  it('converts a JSON number through its shortest round-trip decimal, not its binary value', () => {
    expect(exact(0.1)).toBe('1/10');
    expect(exact(0.3)).toBe('3/10');
    expect(exact(1e-7)).toBe('1/10000000');
    expect(exact(2)).toBe('2');
  });

  it('refuses negative, non-finite, malformed and oversized input', () => {
    for (const bad of ['-1', -0.5, Number.NaN, Infinity, 'abc', '1/2/3', '', '1e99', '0.' + '1'.repeat(60), null, {}]) {
      expect(parseRational(bad).ok).toBe(false);
    }
  });
});
