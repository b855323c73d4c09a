import type { BanditState } from './bandit-state.ts';
import { dot, matVec } from './linalg.ts';
import { POLICY_DEFAULTS, type PolicyConfig } from './policy-config.ts';
import { betaArgmaxProbabilities, normalArgmaxProbabilities } from './argmax-probabilities.ts';

const betaMemo = new WeakMap<object, number[]>();

/**
 * The algorithm's own probability of choosing each arm for context `x`, before guardrails and
 * the floor. Thompson sampling (Beta and linear) is "the probability that this arm's posterior
 * draw is the largest", computed by numeric integration (argmax-probabilities.ts), not sampled.
 * The caller then draws the arm from exactly these probabilities (instead of taking the argmax
 * of one posterior draw, which has the same distribution), so the logged propensity is the
 * probability that was really used, not an estimate of it. Deterministic: no RNG here.
 * @example
 * baseProbabilities(config, initialState(config), [1]); // uniform for a fresh Thompson policy
 */
export function baseProbabilities(config: PolicyConfig, state: BanditState, x: readonly number[]): number[] {
  const k = config.arms;
  const a = config.algorithm;
  const m = state.model;
  if (a.type === 'uniform') return new Array<number>(k).fill(1 / k);
  if (m.type === 'beta') {
    // Context-free: the probabilities change only when the model does (a new object per update),
    // and rewards are far rarer than decisions, so most decides reuse the last integral.
    let p = betaMemo.get(m);
    if (!p) betaMemo.set(m, (p = betaArgmaxProbabilities(m.alpha, m.beta)));
    return p.slice();
  }
  if (m.type === 'linear') {
    const means = m.b.map((b, i) => dot(x, matVec(m.inverse[i]!, b)));
    const widths = m.inverse.map((inv) => Math.sqrt(Math.max(dot(x, matVec(inv, x)), 0)));
    if (a.type === 'linucb') return greedy(means.map((mean, i) => mean + (a.alpha ?? POLICY_DEFAULTS.alpha) * widths[i]!));
    const v = a.type === 'lints' ? a.scale ?? POLICY_DEFAULTS.scale : POLICY_DEFAULTS.scale;
    // Arms are independent, so the score xᵀθ_k of a posterior draw θ_k ~ N(θ̂_k, v²A_k⁻¹) is the
    // scalar N(xᵀθ̂_k, v²·xᵀA_k⁻¹x): the argmax probability is a one-dimensional integral.
    return normalArgmaxProbabilities(means, widths.map((w) => v * w));
  }
  const means = m.sums.map((s, i) => (m.counts[i]! > 0 ? s / m.counts[i]! : 0));
  const epsilon = a.type === 'epsilon-greedy' ? a.epsilon ?? POLICY_DEFAULTS.epsilon : POLICY_DEFAULTS.epsilon;
  return greedy(means).map((p) => (1 - epsilon) * p + epsilon / k);
}

/** All mass on the best score; exact ties share it. */
function greedy(scores: readonly number[]): number[] {
  const top = Math.max(...scores);
  const best = scores.map((s): number => (s === top ? 1 : 0));
  const n = best.reduce((a, b) => a + b, 0);
  return best.map((b) => b / n);
}
