/**
 * Logged bandit feedback as plain arrays, one entry per decision (Open Bandit Pipeline's
 * "dataset" room). `propensity` is the probability the logging policy really used: data, never
 * recomputed. `context` is optional (context-free logs and reward models).
 */
export interface LoggedFeedback {
  action: number[];
  reward: number[];
  propensity: number[];
  context?: number[][];
}

/**
 * The evaluation policy's probability of every action for every logged round (n × K):
 * `actionDist[i][a] = π_e(a | x_i)`.
 */
export type ActionDist = number[][];

/** An estimate with its 95 % bootstrap percentile interval. */
export interface Estimate {
  value: number;
  low: number;
  high: number;
}

/**
 * Importance weights w_i = π_e(a_i | x_i) / p_i.
 * @example
 * importanceWeights({ action: [1], reward: [1], propensity: [0.5] }, [[0, 1]]); // [2]
 */
export function importanceWeights(data: LoggedFeedback, actionDist: ActionDist): number[] {
  return data.action.map((a, i) => actionDist[i]![a]! / data.propensity[i]!);
}
