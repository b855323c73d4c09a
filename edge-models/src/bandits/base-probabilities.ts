import type { BanditState } from './bandit-state.ts';
import { dot, matVec } from './linalg.ts';
import { POLICY_DEFAULTS, type PolicyConfig } from './policy-config.ts';
import type { Rng } from './rng.ts';
import { sampleBeta, sampleNormal } from './sample.ts';

/**
 * The algorithm's own probability of choosing each arm for context `x`, before guardrails and
 * the floor. Thompson sampling (Beta and linear) is "the probability that this arm's posterior
 * draw is the largest": estimated here with `draws` posterior draws from `rng`. The caller then
 * samples the arm from exactly these probabilities (not from one more posterior draw), so the
 * logged propensity is the probability that was really used, not an estimate of it.
 * @example
 * baseProbabilities(config, initialState(config), [1], seededRng(1)); // ≈ uniform for a fresh Thompson policy
 */
export function baseProbabilities(config: PolicyConfig, state: BanditState, x: readonly number[], rng: Rng): number[] {
  const k = config.arms;
  const a = config.algorithm;
  const m = state.model;
  if (a.type === 'uniform') return new Array<number>(k).fill(1 / k);
  if (m.type === 'beta') return argmaxFrequencies(k, config.draws ?? POLICY_DEFAULTS.draws, (i) => sampleBeta(m.alpha[i]!, m.beta[i]!, rng));
  if (m.type === 'linear') {
    const means = m.b.map((b, i) => dot(x, matVec(m.inverse[i]!, b)));
    const widths = m.inverse.map((inv) => Math.sqrt(Math.max(dot(x, matVec(inv, x)), 0)));
    if (a.type === 'linucb') return greedy(means.map((mean, i) => mean + (a.alpha ?? POLICY_DEFAULTS.alpha) * widths[i]!));
    const v = a.type === 'lints' ? a.scale ?? POLICY_DEFAULTS.scale : POLICY_DEFAULTS.scale;
    // Arms are independent, so the score xᵀθ_k of a posterior draw θ_k ~ N(θ̂_k, v²A_k⁻¹) is the
    // scalar N(xᵀθ̂_k, v²·xᵀA_k⁻¹x): one normal per arm and draw instead of a d-dimensional one.
    return argmaxFrequencies(k, config.draws ?? POLICY_DEFAULTS.draws, (i) => means[i]! + v * widths[i]! * sampleNormal(rng));
  }
  const means = m.sums.map((s, i) => (m.counts[i]! > 0 ? s / m.counts[i]! : 0));
  const epsilon = a.type === 'epsilon-greedy' ? a.epsilon ?? POLICY_DEFAULTS.epsilon : POLICY_DEFAULTS.epsilon;
  return greedy(means).map((p) => (1 - epsilon) * p + epsilon / k);
}

/** How often each arm's draw is the largest over `draws` rounds. */
function argmaxFrequencies(k: number, draws: number, draw: (arm: number) => number): number[] {
  const wins = new Array<number>(k).fill(0);
  for (let n = 0; n < draws; n++) {
    let best = 0;
    let bestValue = -Infinity;
    for (let i = 0; i < k; i++) {
      const value = draw(i);
      if (value > bestValue) {
        bestValue = value;
        best = i;
      }
    }
    wins[best]!++;
  }
  return wins.map((w) => w / draws);
}

/** All mass on the best score; exact ties share it. */
function greedy(scores: readonly number[]): number[] {
  const top = Math.max(...scores);
  const best = scores.map((s): number => (s === top ? 1 : 0));
  const n = best.reduce((a, b) => a + b, 0);
  return best.map((b) => b / n);
}
