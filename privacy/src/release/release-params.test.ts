import { describe, expect, it } from 'vitest';
import { rational } from '../rational/rational.ts';
import { histogram, seededSource } from '../testing/index.ts';
import { discreteLaplace } from '../noise/discrete-laplace.ts';
import { laplaceHalfWidth } from './interval-half-width.ts';
import { selectionThreshold } from './selection-threshold.ts';

describe('laplaceHalfWidth', () => {
  it('is the smallest h with P(|Z| ≤ h) ≥ 95 %', () => {
    for (const [t, s] of [[1n, 1n], [5n, 2n], [40n, 1n], [3n, 10n]] as const) {
      const a = Math.exp(-Number(s) / Number(t));
      const miss = (h: number) => (2 * a ** (h + 1)) / (1 + a);
      const h = Number(laplaceHalfWidth(rational(t, s)));
      expect(miss(h)).toBeLessThanOrEqual(0.05);
      if (h > 0) expect(miss(h - 1)).toBeGreaterThan(0.05);
    }
  });

  it('covers the noise 95 % of the time empirically', () => {
    const rng = seededSource(21);
    const scale = rational(8n);
    const h = laplaceHalfWidth(scale);
    const counts = histogram(20_000, () => discreteLaplace(scale, rng));
    let inside = 0;
    for (const [z, n] of counts) if (z >= -h && z <= h) inside += n;
    expect(inside / 20_000).toBeGreaterThan(0.94);
  });
});

describe('selectionThreshold', () => {
  it('releases a one-unit key with probability at most δ/L0', () => {
    const a = Math.exp(-1);
    const t = Number(selectionThreshold(rational(1n), 1n, 1e-6));
    expect(a ** (t - 1) / (1 + a)).toBeLessThanOrEqual(1e-6);
    expect(a ** (t - 2) / (1 + a)).toBeGreaterThan(1e-6);
    expect(t).toBe(15);
  });

  it('accounts for a unit contributing up to c to one coarse key', () => {
    const a = Math.exp(-1 / 4);
    const t = Number(selectionThreshold(rational(4n), 4n, 1e-6, 4n));
    expect(a ** (t - 4) / (1 + a)).toBeLessThanOrEqual(1e-6 / 4);
    expect(selectionThreshold(rational(4n), 4n, 1e-6, 4n) - selectionThreshold(rational(4n), 4n, 1e-6, 1n)).toBe(3n);
  });

  it('grows with the scale and with L0', () => {
    expect(selectionThreshold(rational(4n), 4n, 1e-6)).toBeGreaterThan(selectionThreshold(rational(1n), 1n, 1e-6));
  });
});
