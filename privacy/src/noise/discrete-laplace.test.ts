import { describe, expect, it } from 'vitest';
import { rational } from '../rational/rational.ts';
import { chiSquare, chiSquareCritical, histogram, seededSource } from '../testing/index.ts';
import { discreteLaplace } from './discrete-laplace.ts';

/** Exact pmf of the discrete Laplace with scale b: (1 − a)/(1 + a) · a^|z|, a = exp(−1/b). */
const pmf = (b: number) => (z: number) => {
  const a = Math.exp(-1 / b);
  return ((1 - a) / (1 + a)) * a ** Math.abs(z);
};

describe('discreteLaplace (CKS20 Algorithm 2)', () => {
  const DRAWS = 60_000;

  it.each([
    [1n, 1n],
    [5n, 2n],
    [10n, 1n],
    [1n, 3n],
  ])('matches the exact pmf at scale %d/%d (chi-square, p = 0.001)', (t, s) => {
    const rng = seededSource(Number(t * 31n + s));
    const counts = histogram(DRAWS, () => discreteLaplace(rational(t, s), rng));
    const { statistic, dof } = chiSquare(counts, pmf(Number(t) / Number(s)), DRAWS);
    expect(dof).toBeGreaterThanOrEqual(2);
    expect(statistic).toBeLessThan(chiSquareCritical(dof));
  });

  it('is symmetric with the right variance 2a/(1 − a)²', () => {
    const rng = seededSource(7);
    const b = 4;
    let sum = 0;
    let squares = 0;
    for (let i = 0; i < DRAWS; i++) {
      const z = Number(discreteLaplace(rational(4n), rng));
      sum += z;
      squares += z * z;
    }
    const a = Math.exp(-1 / b);
    const variance = (2 * a) / (1 - a) ** 2;
    expect(Math.abs(sum / DRAWS)).toBeLessThan(5 * Math.sqrt(variance / DRAWS));
    expect(squares / DRAWS).toBeGreaterThan(variance * 0.95);
    expect(squares / DRAWS).toBeLessThan(variance * 1.05);
  });

  it('outputs lie on the integer lattice: every draw is a bigint', () => {
    const rng = seededSource(3);
    for (let i = 0; i < 2000; i++) expect(typeof discreteLaplace(rational(7n, 3n), rng)).toBe('bigint');
  });

  it('detects a wrong sampler (the test has power): scale 1 draws do not pass as scale 3/2', () => {
    const rng = seededSource(11);
    const counts = histogram(DRAWS, () => discreteLaplace(rational(1n), rng));
    const { statistic, dof } = chiSquare(counts, pmf(1.5), DRAWS);
    expect(statistic).toBeGreaterThan(chiSquareCritical(dof));
  });

  it('refuses a non-positive scale', () => {
    expect(() => discreteLaplace(rational(0n), seededSource(1))).toThrow(RangeError);
  });
});
