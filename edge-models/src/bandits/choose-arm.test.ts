import { describe, expect, it } from 'vitest';
import { initialState, type BanditState } from './bandit-state.ts';
import { baseProbabilities } from './base-probabilities.ts';
import { chooseArm } from './choose-arm.ts';
import type { PolicyConfig } from './policy-config.ts';
import { seededRng } from './rng.ts';
import { cholesky, dot, matVec } from './linalg.ts';
import { sampleBeta, sampleNormal } from './sample.ts';
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
  { arms: 3, dimension: 1, algorithm: { type: 'thompson' }, floor: 0.05 },
  { arms: 3, dimension: 3, algorithm: { type: 'lints', scale: 0.5 }, floor: 0.05 },
  { arms: 3, dimension: 3, algorithm: { type: 'linucb' }, floor: 0.05 },
  { arms: 3, dimension: 1, algorithm: { type: 'epsilon-greedy', epsilon: 0.2 }, floor: 0.05 },
];

describe('propensities are the probabilities really used', () => {
  it('Thompson probabilities equal the argmax frequencies of real posterior draws', () => {
    const config: PolicyConfig = { arms: 3, dimension: 1, algorithm: { type: 'thompson' } };
    const state = trained(config, [0.1, 0.15, 0.12], 40);
    if (state.model.type !== 'beta') throw new Error('beta expected');
    const computed = baseProbabilities(config, state, [1]);
    // Independent check 1: a fine-grid integral; check 2: 200k posterior draws (MC error ≈ 0.001).
    const grid = exactBetaArgmax(state.model.alpha, state.model.beta);
    const rng = seededRng(1);
    const wins = [0, 0, 0];
    for (let n = 0; n < 200_000; n++) {
      const draws = state.model.alpha.map((a, k) => sampleBeta(a, (state.model as { beta: number[] }).beta[k]!, rng));
      wins[draws.indexOf(Math.max(...draws))]!++;
    }
    computed.forEach((p, k) => {
      expect(Math.abs(p - grid[k]!)).toBeLessThan(2e-3);
      expect(Math.abs(p - wins[k]! / 200_000)).toBeLessThan(5e-3);
    });
  });

  it('LinTS probabilities equal the argmax frequencies of real posterior draws of θ', () => {
    const config: PolicyConfig = { arms: 3, dimension: 3, algorithm: { type: 'lints', scale: 0.5 } };
    const state = trained(config, [0.2, 0.5, 0.3], 15, (i) => [1, i % 2, (i % 3) / 2]);
    if (state.model.type !== 'linear') throw new Error('linear expected');
    const x = [1, 1, 0.5];
    const computed = baseProbabilities(config, state, x);
    // Draw full vectors θ_k ~ N(A⁻¹b, v²A⁻¹) via Cholesky, score xᵀθ_k: no shortcut shared with the code under test.
    const rng = seededRng(2);
    const wins = [0, 0, 0];
    const model = state.model;
    const factors = model.inverse.map((inv) => cholesky(inv, 3));
    const means = model.inverse.map((inv, k) => matVec(inv, model.b[k]!));
    for (let n = 0; n < 100_000; n++) {
      const scores = means.map((mu, k) => {
        const z = [sampleNormal(rng), sampleNormal(rng), sampleNormal(rng)];
        const theta = mu.map((m, i) => m + 0.5 * [0, 1, 2].reduce((s, j) => s + factors[k]![i * 3 + j]! * z[j]!, 0));
        return dot(x, theta);
      });
      wins[scores.indexOf(Math.max(...scores))]!++;
    }
    computed.forEach((p, k) => expect(Math.abs(p - wins[k]! / 100_000)).toBeLessThan(6e-3));
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
    const config: PolicyConfig = { arms: 3, dimension: 1, algorithm: { type: 'thompson' }, floor: 0.05 };
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
