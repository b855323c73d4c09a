import { describe, expect, it } from 'vitest';
import { seededRng } from './rng.ts';
import { sampleBeta, sampleGamma, sampleIndex } from './sample.ts';

const moments = (xs: number[]) => {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  return { mean, variance: xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1) };
};

describe('samplers', () => {
  it('Beta draws have the closed-form mean and variance', () => {
    const rng = seededRng(11);
    for (const [a, b] of [[2, 5], [0.5, 0.5], [30, 70]] as const) {
      const { mean, variance } = moments(Array.from({ length: 40_000 }, () => sampleBeta(a, b, rng)));
      const exactVar = (a * b) / ((a + b) ** 2 * (a + b + 1));
      expect(mean).toBeCloseTo(a / (a + b), 2);
      expect(Math.abs(variance - exactVar) / exactVar).toBeLessThan(0.05);
    }
  });

  it('Gamma draws have mean = variance = shape', () => {
    const rng = seededRng(12);
    for (const shape of [0.3, 1, 7]) {
      const { mean, variance } = moments(Array.from({ length: 40_000 }, () => sampleGamma(shape, rng)));
      expect(Math.abs(mean - shape) / shape).toBeLessThan(0.03);
      expect(Math.abs(variance - shape) / shape).toBeLessThan(0.08);
    }
  });

  it('sampleIndex follows the given distribution and never picks a zero', () => {
    const rng = seededRng(13);
    const counts = [0, 0, 0];
    for (let i = 0; i < 30_000; i++) counts[sampleIndex([0.2, 0, 0.8], rng)]!++;
    expect(counts[1]).toBe(0);
    expect(counts[0]! / 30_000).toBeCloseTo(0.2, 1);
  });

  it('seeded streams repeat, different seeds differ', () => {
    const a = seededRng(5), b = seededRng(5), c = seededRng(6);
    const xs = Array.from({ length: 5 }, () => a());
    expect(Array.from({ length: 5 }, () => b())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c())).not.toEqual(xs);
  });
});
