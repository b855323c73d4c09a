import { describe, expect, it } from 'vitest';
import { seededSource } from '../testing/index.ts';
import { bernoulli } from './bernoulli.ts';
import { bernoulliExp } from './bernoulli-exp.ts';

describe('bernoulliExp (CKS20 Algorithm 1)', () => {
  const DRAWS = 60_000;

  it.each([
    [0n, 1n],
    [1n, 3n],
    [1n, 1n],
    [5n, 2n],
    [4n, 1n],
    [7n, 100n],
  ])('is true with probability exp(−%d/%d) (within 4.5 standard errors)', (num, den) => {
    const rng = seededSource(Number(num * 13n + den));
    let hits = 0;
    for (let i = 0; i < DRAWS; i++) if (bernoulliExp(num, den, rng)) hits++;
    const p = Math.exp(-Number(num) / Number(den));
    const se = Math.sqrt((p * (1 - p)) / DRAWS) || 1 / DRAWS;
    expect(Math.abs(hits / DRAWS - p)).toBeLessThan(4.5 * se);
  });

  it('bernoulli(n/d) has the rational probability n/d', () => {
    const rng = seededSource(1);
    let hits = 0;
    for (let i = 0; i < DRAWS; i++) if (bernoulli(2n, 5n, rng)) hits++;
    expect(Math.abs(hits / DRAWS - 0.4)).toBeLessThan(4.5 * Math.sqrt(0.24 / DRAWS));
  });

  it('refuses parameters outside its domain', () => {
    const rng = seededSource(1);
    expect(() => bernoulli(3n, 2n, rng)).toThrow(RangeError);
    expect(() => bernoulliExp(-1n, 2n, rng)).toThrow(RangeError);
  });
});
