import { importanceWeights, type ActionDist, type LoggedFeedback } from './logged-feedback.ts';

/** A point estimator over a subset of rounds (indices), so the bootstrap can resample. */
export type Estimator = (data: LoggedFeedback, actionDist: ActionDist, rows: readonly number[], rewardModel?: number[][]) => number;

/**
 * Inverse propensity scoring: mean of w_i · r_i (unbiased when every logged propensity is > 0
 * where π_e is).
 * @example
 * ips(data, actionDist, data.action.map((_, i) => i));
 */
export const ips: Estimator = (data, actionDist, rows) => {
  const w = importanceWeights(data, actionDist);
  return mean(rows.map((i) => w[i]! * data.reward[i]!));
};

/**
 * Self-normalised IPS: Σ w_i r_i / Σ w_i (biased, lower variance, bounded by the reward range).
 * @example
 * snips(data, actionDist, rows);
 */
export const snips: Estimator = (data, actionDist, rows) => {
  const w = importanceWeights(data, actionDist);
  const total = rows.reduce((s, i) => s + w[i]!, 0);
  return total > 0 ? rows.reduce((s, i) => s + w[i]! * data.reward[i]!, 0) / total : 0;
};

/**
 * Doubly robust: mean of Σ_a π_e(a|x_i) q̂(x_i, a) + w_i (r_i − q̂(x_i, a_i)), with the reward
 * model q̂ given as n × K predictions (see `fitRewardModel`).
 * @example
 * dr(data, actionDist, rows, fitRewardModel(data, K));
 */
export const dr: Estimator = (data, actionDist, rows, rewardModel) => {
  if (!rewardModel) throw new Error('dr needs a reward model');
  const w = importanceWeights(data, actionDist);
  return mean(
    rows.map((i) => {
      const q = rewardModel[i]!;
      const direct = actionDist[i]!.reduce((s, p, a) => s + p * q[a]!, 0);
      return direct + w[i]! * (data.reward[i]! - q[data.action[i]!]!);
    }),
  );
};

/**
 * Effective sample size of the importance weights, (Σw)² / Σw²: how many on-policy rounds the
 * log is worth for this evaluation policy.
 * @example
 * effectiveSampleSize([1, 1, 4]); // 2.0
 */
export function effectiveSampleSize(weights: readonly number[]): number {
  const s = weights.reduce((a, b) => a + b, 0);
  const s2 = weights.reduce((a, b) => a + b * b, 0);
  return s2 > 0 ? (s * s) / s2 : 0;
}

function mean(xs: readonly number[]): number {
  return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0;
}
