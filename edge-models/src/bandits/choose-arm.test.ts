import { describe, expect, it } from 'vitest';
import { initialState, type BanditState } from './bandit-state.ts';
import { baseProbabilities } from './base-probabilities.ts';
import { chooseArm } from './choose-arm.ts';
import type { PolicyConfig } from './policy-config.ts';
import { seededRng } from './rng.ts';
import { updateState } from './update-state.ts';

/** Feeds `n` rewards per arm with the given success rates (deterministic pattern). */
function trained(config: PolicyConfig, rates: number[], n: number, xOf: (i: number) => number[] = () => [1]): BanditState {
  let state = initialState(config);
  for (let i = 0; i < n; i++) rates.forEach((rate, arm) => (state = updateState(config, state, { arm, x: xOf(i), reward: (i * 7919) % 100 < rate * 100 ? 1 : 0 })));
  return state;
}

/** P(arm k has the largest Beta draw) by numeric integration on a grid: ∫ f_k ∏_{j≠k} F_j. */
function exactBetaArgmax(alpha: number[], beta: number[], grid = 20_000): number[] {
  const t = Array.from({ length: grid }, (_, i) => (i + 0.5) / grid);
  const pdfs = alpha.map((a, k) => {
    const raw = t.map((x) => Math.exp((a - 1) * Math.log(x) + (beta[k]! - 1) * Math.log(1 - x)));
    const z = raw.reduce((s, v) => s + v, 0);
    return raw.map((v) => v / z);
  });
  const cdfs = pdfs.map((pdf) => {
    let acc = 0;
    return pdf.map((v) => (acc += v) - v / 2);
  });
  return pdfs.map((pdf, k) => pdf.reduce((s, v, i) => s + v * cdfs.reduce((prod, cdf, j) => (j === k ? prod : prod * cdf[i]!), 1), 0));
}

const configs: PolicyConfig[] = [
  { arms: 3, dimension: 1, algorithm: { type: 'thompson' }, floor: 0.05, draws: 300 },
  { arms: 3, dimension: 3, algorithm: { type: 'lints', scale: 0.5 }, floor: 0.05, draws: 300 },
  { arms: 3, dimension: 3, algorithm: { type: 'linucb' }, floor: 0.05 },
  { arms: 3, dimension: 1, algorithm: { type: 'epsilon-greedy', epsilon: 0.2 }, floor: 0.05 },
];

describe('propensities are the probabilities really used', () => {
  it('Monte Carlo Thompson probabilities match the exact argmax probabilities', () => {
    const config: PolicyConfig = { arms: 3, dimension: 1, algorithm: { type: 'thompson' }, draws: 20_000 };
    const state = trained(config, [0.1, 0.15, 0.12], 40);
    if (state.model.type !== 'beta') throw new Error('beta expected');
    const exact = exactBetaArgmax(state.model.alpha, state.model.beta);
    const estimated = baseProbabilities(config, state, [1], seededRng(1));
    estimated.forEach((p, k) => expect(Math.abs(p - exact[k]!)).toBeLessThan(0.015));
  });

  for (const config of configs) {
    it(`${config.algorithm.type}: sum to 1, floor holds, and E[1{a=k}/p_k] = 1 for every arm over many draws`, () => {
      const xOf = (i: number) => (config.dimension === 1 ? [1] : [1, i % 2, (i % 3) / 2]);
      const state = trained(config, [0.2, 0.5, 0.3], 30, xOf);
      const rng = seededRng(99);
      const n = 6000;
      const weighted = [0, 0, 0];
      const counts = [0, 0, 0];
      const meanProbability = [0, 0, 0];
      const x = xOf(1);
      for (let i = 0; i < n; i++) {
        const choice = chooseArm(config, state, x, rng);
        const p = choice.probabilities!;
        expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
        for (const v of p) expect(v).toBeGreaterThanOrEqual(0.05 - 1e-12);
        expect(choice.propensity).toBe(p[choice.arm!]);
        weighted[choice.arm!]! += 1 / choice.propensity;
        counts[choice.arm!]!++;
        p.forEach((v, k) => (meanProbability[k]! += v / n));
      }
      // The IPS identity only holds when the arm really was drawn with the logged probability.
      weighted.forEach((w) => expect(Math.abs(w / n - 1)).toBeLessThan(0.12));
      counts.forEach((c, k) => expect(Math.abs(c / n - meanProbability[k]!)).toBeLessThan(0.025));
    });
  }

  it('a trained policy favours the best arm (the floor still leaves exploration)', () => {
    const config: PolicyConfig = { arms: 3, dimension: 1, algorithm: { type: 'thompson' }, floor: 0.05, draws: 500 };
    const state = trained(config, [0.1, 0.6, 0.2], 200);
    const { probabilities } = chooseArm(config, state, [1], seededRng(4));
    expect(probabilities![1]).toBeGreaterThan(0.85);
    expect(Math.min(...probabilities!)).toBeGreaterThanOrEqual(0.05);
  });

  it('the same seed, state and context give the same choice', () => {
    const config = configs[1]!;
    const state = trained(config, [0.2, 0.5, 0.3], 10, () => [1, 0, 1]);
    expect(chooseArm(config, state, [1, 0, 1], seededRng(8))).toEqual(chooseArm(config, state, [1, 0, 1], seededRng(8)));
  });
});
