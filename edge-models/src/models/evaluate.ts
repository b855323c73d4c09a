import { auc, logLoss, scoreOrder } from './metrics.ts';
import { bootstrap, type Interval } from './bootstrap.ts';
import { calibrationTable, type CalibrationBin } from './calibration.ts';

/** Metrics of one scorer on the held-out rows, with paired bootstrap 95 % intervals. */
export interface ScorerMetrics {
  readonly auc: Interval;
  readonly logLoss: Interval;
}

/** What one evaluation run reports. */
export interface Evaluation {
  readonly rows: number;
  readonly clicks: number;
  readonly model: ScorerMetrics;
  /** Per baseline; `modelMinusBaseline` is paired over the same resamples: AUC > 0 and log-loss < 0 favour the model. */
  readonly baselines: Record<string, ScorerMetrics & { readonly modelMinusBaseline: { readonly auc: Interval; readonly logLoss: Interval } }>;
  readonly calibration: CalibrationBin[];
}

/**
 * Evaluate a model's held-out probabilities against baselines on the very same rows and resamples.
 *
 * @example
 * evaluate(modelScores, labels, { random, popularity, position }, 11);
 */
export function evaluate(model: Float64Array, labels: Uint8Array, baselines: Record<string, Float64Array>, seed = 11): Evaluation {
  const modelOrder = scoreOrder(model);
  const stats: Record<string, (w: Uint16Array | undefined) => number> = {
    'model.auc': (i) => auc(model, labels, i, modelOrder),
    'model.logLoss': (i) => logLoss(model, labels, i),
  };
  for (const [name, scores] of Object.entries(baselines)) {
    const order = scoreOrder(scores);
    stats[`${name}.auc`] = (i) => auc(scores, labels, i, order);
    stats[`${name}.logLoss`] = (i) => logLoss(scores, labels, i);
    stats[`${name}.diffAuc`] = (i) => auc(model, labels, i, modelOrder) - auc(scores, labels, i, order);
    stats[`${name}.diffLogLoss`] = (i) => logLoss(model, labels, i) - logLoss(scores, labels, i);
  }
  const r = bootstrap(labels.length, stats, undefined, seed);
  return {
    rows: labels.length,
    clicks: labels.reduce((s, y) => s + y, 0),
    model: { auc: r['model.auc']!, logLoss: r['model.logLoss']! },
    baselines: Object.fromEntries(Object.keys(baselines).map((name) => [name, {
      auc: r[`${name}.auc`]!, logLoss: r[`${name}.logLoss`]!,
      modelMinusBaseline: { auc: r[`${name}.diffAuc`]!, logLoss: r[`${name}.diffLogLoss`]! },
    }])),
    calibration: calibrationTable(model, labels, 5),
  };
}
