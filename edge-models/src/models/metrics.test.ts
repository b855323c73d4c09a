import { describe, expect, it } from 'vitest';
import { auc, logLoss } from './metrics.ts';
import { seededRandom } from './seeded-random.ts';
import { bootstrap } from './bootstrap.ts';
import { calibrationTable } from './calibration.ts';

/** AUC by definition: the share of (positive, negative) pairs the scores order correctly, ties half. */
function pairwiseAuc(s: number[], y: number[]): number {
  let good = 0;
  let pairs = 0;
  for (let i = 0; i < s.length; i++) for (let j = 0; j < s.length; j++) {
    if (y[i] !== 1 || y[j] !== 0) continue;
    pairs++;
    good += s[i]! > s[j]! ? 1 : s[i] === s[j] ? 0.5 : 0;
  }
  return good / pairs;
}

describe('auc', () => {
  it('equals the pairwise definition, with ties, on random data', () => {
    const next = seededRandom(5);
    for (let trial = 0; trial < 20; trial++) {
      const s = Array.from({ length: 60 }, () => Math.round(next() * 10) / 10);
      const y = Array.from({ length: 60 }, () => (next() < 0.3 ? 1 : 0));
      expect(auc(s, y)).toBeCloseTo(pairwiseAuc(s, y), 12);
    }
  });
  it('with multiplicities equals the AUC of the expanded sample', () => {
    const s = [0.1, 0.4, 0.35, 0.8, 0.4];
    const y = [0, 0, 1, 1, 1];
    const w = [2, 0, 3, 1, 1];
    const es: number[] = [];
    const ey: number[] = [];
    w.forEach((k, i) => { for (let t = 0; t < k; t++) { es.push(s[i]!); ey.push(y[i]!); } });
    expect(auc(s, y, w)).toBeCloseTo(pairwiseAuc(es, ey), 12);
  });
  it('is NaN without both classes', () => expect(auc([0.1, 0.2], [0, 0])).toBeNaN());
});

describe('logLoss', () => {
  it('is the mean cross-entropy and clips certainty', () => {
    expect(logLoss([0.5, 0.5], [1, 0])).toBeCloseTo(Math.log(2), 12);
    expect(logLoss([0.9, 0.2], [1, 0], [3, 1])).toBeCloseTo((-3 * Math.log(0.9) - Math.log(0.8)) / 4, 12);
    expect(Number.isFinite(logLoss([0], [1]))).toBe(true);
  });
});

describe('bootstrap', () => {
  it('covers the mean of a known sample and is reproducible by seed', () => {
    const next = seededRandom(1);
    const x = Float64Array.from({ length: 400 }, () => next());
    const mean = (w: Uint16Array | undefined) => {
      let s = 0;
      let n = 0;
      x.forEach((v, i) => { const k = w ? w[i]! : 1; s += k * v; n += k; });
      return s / n;
    };
    const a = bootstrap(x.length, { mean }, 500, 3).mean;
    expect(a.low).toBeLessThan(a.value);
    expect(a.high).toBeGreaterThan(a.value);
    // standard error of a U(0,1) mean at n=400 is 0.0144: the 95 % interval is about ±0.028
    expect(a.high - a.low).toBeGreaterThan(0.04);
    expect(a.high - a.low).toBeLessThan(0.08);
    expect(bootstrap(x.length, { mean }, 500, 3).mean).toEqual(a);
  });
});

describe('calibrationTable', () => {
  it('bins by predicted probability with equal counts', () => {
    const bins = calibrationTable([0.1, 0.9, 0.2, 0.8], [0, 1, 0, 0], 2);
    expect(bins).toEqual([
      { rows: 2, meanPredicted: expect.closeTo(0.15), observedRate: 0, clicks: 0 },
      { rows: 2, meanPredicted: expect.closeTo(0.85), observedRate: 0.5, clicks: 1 },
    ]);
  });
});
