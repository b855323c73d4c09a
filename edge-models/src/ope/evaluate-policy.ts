import type { Rng } from '../bandits/rng.ts';
import { dr, effectiveSampleSize, ips, snips, type Estimator } from './estimators.ts';
import { fitRewardModel } from './fit-reward-model.ts';
import { importanceWeights, type ActionDist, type Estimate, type LoggedFeedback } from './logged-feedback.ts';

/** 200 resamples: OBP's paper uses 200 bootstrap iterations for its main table. */
export const DEFAULT_BOOTSTRAP = 200;

export interface OpeOptions {
  /** Number of arms (K). */
  arms: number;
  rng: Rng;
  bootstrap?: number;
  /** Reward model predictions n × K; fitted with `fitRewardModel` when absent. */
  rewardModel?: number[][];
}

export interface OpeReport {
  n: number;
  ips: Estimate;
  snips: Estimate;
  dr: Estimate;
  /** (Σw)²/Σw² of the importance weights. */
  effectiveSampleSize: number;
  /** Largest importance weight: a warning sign when it dwarfs n. */
  maxWeight: number;
}

/**
 * Off-policy value of an evaluation policy from logged feedback: IPS, SNIPS and DR, each with a
 * 95 % bootstrap percentile interval (resampling rounds with `rng`), and the effective sample size.
 * @example
 * const report = evaluatePolicy(log, actionDist, { arms: 3, rng: seededRng(1) });
 * report.snips.value;
 */
export function evaluatePolicy(data: LoggedFeedback, actionDist: ActionDist, options: OpeOptions): OpeReport {
  const n = data.action.length;
  const rewardModel = options.rewardModel ?? fitRewardModel(data, options.arms);
  const all = Array.from({ length: n }, (_, i) => i);
  const resamples = Array.from({ length: options.bootstrap ?? DEFAULT_BOOTSTRAP }, () => all.map(() => Math.floor(options.rng() * n)));
  const run = (estimator: Estimator): Estimate => {
    const values = resamples.map((rows) => estimator(data, actionDist, rows, rewardModel)).sort((a, b) => a - b);
    const at = (q: number) => values[Math.min(values.length - 1, Math.max(0, Math.round(q * (values.length - 1))))] ?? NaN;
    return { value: estimator(data, actionDist, all, rewardModel), low: at(0.025), high: at(0.975) };
  };
  const weights = importanceWeights(data, actionDist);
  return { n, ips: run(ips), snips: run(snips), dr: run(dr), effectiveSampleSize: effectiveSampleSize(weights), maxWeight: Math.max(0, ...weights) };
}
