import { describe, expect, it } from 'vitest';
import { rational } from '../rational/rational.ts';
import { histogram, seededSource } from '../testing/index.ts';
import { discreteGaussian } from '../noise/discrete-gaussian.ts';
import { gaussianHalfWidth, gaussianSelectionThreshold, gaussianVarianceFor, rhoFor } from './gaussian-calibration.ts';

describe('Gaussian calibration', () => {
  it('ρ converts back to at most ε for the δ (Bun–Steinke)', () => {
    for (const [eps, delta] of [[1, 1e-7], [0.1, 1e-6], [4, 1e-9]] as const) {
      const r = rhoFor(eps, delta);
      const rho = Number(r.num) / Number(r.den);
      expect(rho + 2 * Math.sqrt(rho * Math.log(1 / delta))).toBeLessThanOrEqual(eps);
      expect(rho + 2 * Math.sqrt(rho * Math.log(1 / delta))).toBeGreaterThan(eps * 0.999);
    }
  });

  it('σ² = Δ₂²/(2ρ) exactly', () => {
    expect(gaussianVarianceFor(4n, rational(1n, 100n))).toEqual(rational(200n));
  });

  it('the half-width covers at least 95 % of draws', () => {
    const rng = seededSource(4);
    const variance = rational(400n);
    const h = gaussianHalfWidth(variance);
    const counts = histogram(20_000, () => discreteGaussian(variance, rng));
    let inside = 0;
    for (const [z, n] of counts) if (z >= -h && z <= h) inside += n;
    expect(inside / 20_000).toBeGreaterThanOrEqual(0.95);
  });

  it('a one-unit key passes the selection threshold with probability at most δ/L0', () => {
    const rng = seededSource(6);
    const variance = rational(4n);
    const t = gaussianSelectionThreshold(variance, 1n, 1e-3);
    let passed = 0;
    for (let i = 0; i < 20_000; i++) if (1n + discreteGaussian(variance, rng) >= t) passed++;
    expect(passed / 20_000).toBeLessThanOrEqual(1e-3);
  });
});
