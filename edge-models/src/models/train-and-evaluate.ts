import { loadObd, type ObdCampaign, type ObdRow } from './obd-loader.ts';
import { featurize } from './feature-spec.ts';
import { OBD_FIRST_EVAL_DAY, timeSplit } from './time-split.ts';
import { trainLogisticRegression } from './logistic-regression.ts';
import { trainFactorizationMachine } from './factorization-machine.ts';
import { trainMultilayerPerceptron } from './multilayer-perceptron.ts';
import { positionBaseline, popularityBaseline, randomBaseline } from './baselines.ts';
import { evaluate, type Evaluation } from './evaluate.ts';
import { predict, type RankingModel } from './ranking-model.ts';

/** The campaigns pooled for training: the features are campaign-free, so men's and women's logs share a model. */
export const OBD_CAMPAIGNS: readonly ObdCampaign[] = ['men', 'women'];

/** Everything one training run produces, before export. */
export interface TrainedRun {
  readonly train: readonly ObdRow[];
  readonly evaluation: readonly ObdRow[];
  /** Held-out feature vectors, float32 like the ONNX input. */
  readonly evalFeatures: readonly Float32Array[];
  readonly models: readonly { readonly name: string; readonly model: RankingModel; readonly evaluation: Evaluation }[];
}

/**
 * Load the uniformly random OBD logs, split by time, train the three models, evaluate against baselines.
 * Random logs only: with propensity 1/K everywhere their clicks are unbiased for every item and slot.
 *
 * @example
 * const run = trainAndEvaluate('/data/obd');
 */
export function trainAndEvaluate(obdDir: string): TrainedRun {
  const rows: ObdRow[] = [];
  for (const campaign of OBD_CAMPAIGNS) {
    const loaded = loadObd(obdDir, 'random', campaign);
    if (!Array.isArray(loaded)) throw new Error(loaded.message);
    rows.push(...loaded);
  }
  const { train, evaluation } = timeSplit(rows, OBD_FIRST_EVAL_DAY);
  const xs = train.map(featurize);
  const ys = Uint8Array.from(train, (r) => r.click);
  const labels = Uint8Array.from(evaluation, (r) => r.click);
  const evalFeatures = evaluation.map((r) => Float32Array.from(featurize(r)));
  const baselines = {
    random: randomBaseline(train, evaluation),
    popularity: popularityBaseline(train, evaluation),
    position: positionBaseline(train, evaluation),
  };
  const trained: [string, RankingModel][] = [
    ['obd-click-lr', trainLogisticRegression(xs, ys)],
    ['obd-click-fm', trainFactorizationMachine(xs, ys)],
    ['obd-click-mlp', trainMultilayerPerceptron(xs, ys)],
  ];
  return {
    train, evaluation, evalFeatures,
    models: trained.map(([name, model]) => ({
      name, model,
      evaluation: evaluate(Float64Array.from(evalFeatures, (x) => predict(model, x)), labels, baselines),
    })),
  };
}
