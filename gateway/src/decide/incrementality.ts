import { Z95 } from '@sluice/edge-models/bandits';

/** Aggregates of one group of decisions (experiment or holdout). */
export interface GroupTotals {
  n: number;
  conversions: number;
  valueSum: number;
  valueSquares: number;
}

export interface Difference {
  experiment: number;
  holdout: number;
  lift: number;
  low: number;
  high: number;
}

export interface Incrementality {
  experimentDecisions: number;
  holdoutDecisions: number;
  /** Conversion rate (reward > 0) difference, Wald 95 % interval for two proportions. */
  conversionRate: Difference | null;
  /** Mean reward per decision difference, Welch 95 % interval. */
  valuePerDecision: Difference | null;
}

/**
 * The experiment's lift over its holdout with 95 % normal-approximation intervals; null
 * differences while either group is empty.
 * @example
 * incrementality({ n: 900, conversions: 90, valueSum: 90, valueSquares: 90 }, { n: 100, conversions: 5, valueSum: 5, valueSquares: 5 });
 */
export function incrementality(exp: GroupTotals, hold: GroupTotals): Incrementality {
  const base = { experimentDecisions: exp.n, holdoutDecisions: hold.n };
  if (exp.n === 0 || hold.n === 0) return { ...base, conversionRate: null, valuePerDecision: null };
  const p1 = exp.conversions / exp.n, p0 = hold.conversions / hold.n;
  const seRate = Math.sqrt((p1 * (1 - p1)) / exp.n + (p0 * (1 - p0)) / hold.n);
  const m1 = exp.valueSum / exp.n, m0 = hold.valueSum / hold.n;
  const variance = (g: GroupTotals, m: number) => (g.n > 1 ? Math.max(0, (g.valueSquares - g.n * m * m) / (g.n - 1)) : 0);
  const seValue = Math.sqrt(variance(exp, m1) / exp.n + variance(hold, m0) / hold.n);
  const diff = (a: number, b: number, se: number): Difference => ({ experiment: a, holdout: b, lift: a - b, low: a - b - Z95 * se, high: a - b + Z95 * se });
  return { ...base, conversionRate: diff(p1, p0, seRate), valuePerDecision: diff(m1, m0, seValue) };
}
