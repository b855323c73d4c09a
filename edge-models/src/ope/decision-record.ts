/**
 * One line of the gateway's decision log export (NDJSON), in the spirit of Vowpal Wabbit's
 * contextual-bandit format: everything needed to evaluate another policy later is in the line.
 */
export interface DecisionRecord {
  decisionId: string;
  at: number;
  arm: string;
  armIndex: number;
  propensity: number;
  /** The featurized (coarse, consented) context the decision was made for. */
  x: number[];
  /** null until a reward arrives; a decision without one is a zero reward once its window has passed. */
  reward: number | null;
  policyVersion: string;
  holdout: boolean;
  /** Served by the gateway's time-budget fallback (default arm, propensity 1). */
  fallback: boolean;
}

/**
 * The rounds of a decision log that OPE may use: made by the policy (holdout and fallback rows
 * are deterministic, so other arms have no support there), with unrewarded rounds as reward 0.
 * @example
 * const data = feedbackFromRecords(records);
 */
export function feedbackFromRecords(records: readonly DecisionRecord[]) {
  const used = records.filter((r) => !r.holdout && !r.fallback && r.propensity > 0);
  return {
    records: used,
    data: { action: used.map((r) => r.armIndex), reward: used.map((r) => r.reward ?? 0), propensity: used.map((r) => r.propensity), context: used.map((r) => r.x) },
  };
}
