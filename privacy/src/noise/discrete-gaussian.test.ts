import { describe, expect, it } from 'vitest';
import { rational } from '../rational/rational.ts';
import { chiSquare, chiSquareCritical, histogram, seededSource } from '../testing/index.ts';
import { discreteGaussian } from './discrete-gaussian.ts';

/** Exact pmf of N_Z(0, σ²): exp(−z²/2σ²) normalized over the integers. */
const pmf = (variance: number) => {
  const weight = (z: number) => Math.exp(-(z * z) / (2 * variance));
  let total = 0;
  const reach = Math.ceil(40 * Math.sqrt(variance)) + 10;
  for (let z = -reach; z <= reach; z++) total += weight(z);
  return (z: number) => weight(z) / total;
};

describe('discreteGaussian (CKS20 Algorithm 3)', () => {
  const DRAWS = 40_000;

  it.each([
    [1n, 1n],
    [9n, 2n],
    [25n, 1n],
    [1n, 4n],
  ])('matches the exact pmf for σ² = %d/%d (chi-square, p = 0.001)', (n, d) => {
    const rng = seededSource(Number(n * 17n + d));
    const counts = histogram(DRAWS, () => discreteGaussian(rational(n, d), rng));
    const { statistic, dof } = chiSquare(counts, pmf(Number(n) / Number(d)), DRAWS);
    expect(dof).toBeGreaterThanOrEqual(2);
    expect(statistic).toBeLessThan(chiSquareCritical(dof));
  });

  it('detects a wrong variance (the test has power)', () => {
    const rng = seededSource(5);
    const counts = histogram(DRAWS, () => discreteGaussian(rational(4n), rng));
    const { statistic, dof } = chiSquare(counts, pmf(5), DRAWS);
    expect(statistic).toBeGreaterThan(chiSquareCritical(dof));
  });

  it('outputs are bigints', () => {
    const rng = seededSource(9);
    for (let i = 0; i < 1000; i++) expect(typeof discreteGaussian(rational(10n, 3n), rng)).toBe('bigint');
  });
});
