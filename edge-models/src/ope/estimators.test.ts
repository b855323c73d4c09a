import { describe, expect, it } from 'vitest';
import { chooseArm, initialState, seededRng, type PolicyConfig } from '../bandits/index.ts';
import { effectiveSampleSize } from './estimators.ts';
import { evaluatePolicy } from './evaluate-policy.ts';
import type { LoggedFeedback } from './logged-feedback.ts';

/** A 3-arm world with context-dependent click rates; logging is uniform-with-bias, evaluation is a fixed policy. */
function simulate(n: number, seed: number) {
  const rng = seededRng(seed);
  const rate = (x: number, a: number) => [0.1 + 0.2 * x, 0.3, 0.5 - 0.3 * x][a]!;
  const logging = [0.5, 0.3, 0.2];
  const target = (x: number) => (x > 0.5 ? [0.8, 0.1, 0.1] : [0.1, 0.1, 0.8]);
  const data: LoggedFeedback = { action: [], reward: [], propensity: [], context: [] };
  const actionDist: number[][] = [];
  let truth = 0;
  for (let i = 0; i < n; i++) {
    const x = rng();
    let a = 0;
    const u = rng();
    if (u > logging[0]!) a = u > logging[0]! + logging[1]! ? 2 : 1;
    data.action.push(a);
    data.propensity.push(logging[a]!);
    data.reward.push(rng() < rate(x, a) ? 1 : 0);
    data.context!.push([1, x]);
    actionDist.push(target(x));
    truth += target(x).reduce((s, p, k) => s + p * rate(x, k), 0) / n;
  }
  return { data, actionDist, truth };
}

describe('off-policy estimators', () => {
  it('IPS, SNIPS and DR recover the true value of a different policy within their bootstrap error', () => {
    const { data, actionDist, truth } = simulate(20_000, 1);
    const report = evaluatePolicy(data, actionDist, { arms: 3, rng: seededRng(2), bootstrap: 100 });
    for (const e of [report.ips, report.snips, report.dr]) {
      expect(Math.abs(e.value - truth)).toBeLessThan(0.015);
      // Within ~2.5 standard errors (the 95 % interval spans ~3.9): the interval is honest, not decorative.
      expect(Math.abs(e.value - truth)).toBeLessThan(0.65 * (e.high - e.low));
      expect(e.low).toBeLessThan(e.value);
      expect(e.high).toBeGreaterThan(e.value);
    }
    // DR with a correct linear reward model has a tighter interval than IPS.
    expect(report.dr.high - report.dr.low).toBeLessThan(report.ips.high - report.ips.low);
    expect(report.effectiveSampleSize).toBeLessThan(20_000);
    expect(report.effectiveSampleSize).toBeGreaterThan(2_000);
  });

  it('evaluating the logging policy itself: weights are 1, ESS = n, estimate = mean reward', () => {
    const { data } = simulate(2000, 3);
    const same = data.action.map(() => [0.5, 0.3, 0.2]);
    const report = evaluatePolicy(data, same, { arms: 3, rng: seededRng(4), bootstrap: 50 });
    const mean = data.reward.reduce((a, b) => a + b, 0) / data.reward.length;
    expect(report.ips.value).toBeCloseTo(mean, 12);
    expect(report.snips.value).toBeCloseTo(mean, 12);
    expect(report.effectiveSampleSize).toBeCloseTo(2000, 6);
  });

  it('effective sample size of known weights', () => {
    expect(effectiveSampleSize([1, 1, 4])).toBeCloseTo(36 / 18, 12);
  });

  it('works on a log made by the bandit core with its logged propensities', () => {
    const config: PolicyConfig = { arms: 2, dimension: 1, algorithm: { type: 'epsilon-greedy', epsilon: 0.3 } };
    const state = { ...initialState(config), model: { type: 'mean' as const, sums: [10, 0], counts: [20, 20] } };
    const rng = seededRng(5);
    const data: LoggedFeedback = { action: [], reward: [], propensity: [] };
    for (let i = 0; i < 20_000; i++) {
      const c = chooseArm(config, state, [1], rng);
      data.action.push(c.arm!);
      data.propensity.push(c.propensity);
      data.reward.push(rng() < (c.arm === 0 ? 0.2 : 0.6) ? 1 : 0);
    }
    // Evaluate "always arm 1" (true value 0.6) from the ε-greedy log that mostly played arm 0.
    const report = evaluatePolicy(data, data.action.map(() => [0, 1]), { arms: 2, rng: seededRng(6), bootstrap: 50 });
    expect(report.snips.value).toBeCloseTo(0.6, 1);
    expect(report.ips.low).toBeLessThan(0.6);
    expect(report.ips.high).toBeGreaterThan(0.6);
  });
});
