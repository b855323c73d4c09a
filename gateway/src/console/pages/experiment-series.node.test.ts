import { describe, expect, it } from 'vitest';
import { timeWindow } from '../time-window.ts';
import { experimentSeries } from './experiment-series.ts';

describe('experimentSeries', () => {
  const now = Date.UTC(2026, 11, 2, 1, 30, 15);
  const w = timeWindow('1h', now);
  const last = w.buckets.at(-1)!;
  const row = (bucket: number, arm: string, n: number, extra: Partial<{ holdout: boolean; fallback: boolean; rewarded: number; rewardSum: number; propensitySum: number }> = {}) => ({
    bucket, arm, n, holdout: false, fallback: false, rewarded: 0, rewardSum: 0, propensitySum: n * 0.5, ...extra,
  });

  it('shares exclude the holdout, propensities are per-decision means, and time series add up', () => {
    const s = experimentSeries(w, ['a', 'b', 'c'], [
      row(last, 'a', 3, { propensitySum: 1.5, rewarded: 2, rewardSum: 2 }),
      row(last - 60_000, 'b', 1, { propensitySum: 0.9 }),
      row(last, 'a', 4, { holdout: true, propensitySum: 4 }),
      row(last, 'a', 1, { fallback: true, propensitySum: 1, rewarded: 1, rewardSum: 0.25 }),
    ]);
    expect(s.total).toBe(9);
    expect(s.holdout).toBe(4);
    expect(s.fallback).toBe(1);
    expect(s.allocation.a).toEqual({ served: 4, share: 0.8, meanPropensity: 2.5 / 4 });
    expect(s.allocation.b).toEqual({ served: 1, share: 0.2, meanPropensity: 0.9 });
    expect(s.allocation.c).toEqual({ served: 0, share: 0, meanPropensity: null });
    expect(s.decisions.at(-1)).toBe(8);
    expect(s.decisions.at(-2)).toBe(1);
    expect(s.rewarded.at(-1)).toBe(3);
    expect(s.rewardSum.at(-1)).toBe(2.25);
    expect(s.decisions.reduce((a, b) => a + b, 0)).toBe(9);
  });

  it('an empty log has no shares and all-zero series', () => {
    const s = experimentSeries(w, ['a'], []);
    expect(s.allocation.a).toEqual({ served: 0, share: null, meanPropensity: null });
    expect(s.decisions.every((v) => v === 0)).toBe(true);
  });
});
