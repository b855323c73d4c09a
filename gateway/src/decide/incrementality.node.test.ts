import { describe, expect, it } from 'vitest';
import { incrementality } from './incrementality.ts';

describe('incrementality', () => {
  it('lift and Wald / Welch 95 % intervals match the closed forms', () => {
    // Experiment: 1000 decisions, 120 conversions worth 1 each; holdout: 200 decisions, 16 conversions.
    const r = incrementality({ n: 1000, conversions: 120, valueSum: 120, valueSquares: 120 }, { n: 200, conversions: 16, valueSum: 16, valueSquares: 16 });
    const se = Math.sqrt((0.12 * 0.88) / 1000 + (0.08 * 0.92) / 200);
    expect(r.conversionRate!.lift).toBeCloseTo(0.04, 12);
    expect(r.conversionRate!.low).toBeCloseTo(0.04 - 1.959963984540054 * se, 12);
    expect(r.conversionRate!.high).toBeCloseTo(0.04 + 1.959963984540054 * se, 12);
    // 0/1 values: the sample variance is p(1 − p)·n/(n − 1).
    const seValue = Math.sqrt((0.12 * 0.88 * 1000) / 999 / 1000 + (0.08 * 0.92 * 200) / 199 / 200);
    expect(r.valuePerDecision!.high - r.valuePerDecision!.lift).toBeCloseTo(1.959963984540054 * seValue, 12);
  });

  it('no lift without both groups', () => {
    expect(incrementality({ n: 10, conversions: 1, valueSum: 1, valueSquares: 1 }, { n: 0, conversions: 0, valueSum: 0, valueSquares: 0 })).toMatchObject({ conversionRate: null, valuePerDecision: null });
  });
});
