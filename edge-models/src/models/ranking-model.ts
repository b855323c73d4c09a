import { exportFactorizationMachine } from './export-onnx.ts';
import { exportLogisticRegression, exportMultilayerPerceptron } from './export-onnx.ts';
import { predictMultilayerPerceptron, type MultilayerPerceptron } from './multilayer-perceptron.ts';
import { predictFactorizationMachine, type FactorizationMachine } from './factorization-machine.ts';
import { predictLogisticRegression, type LogisticRegression } from './logistic-regression.ts';

/** Any trained ranking model of this package. */
export type RankingModel = LogisticRegression | FactorizationMachine | MultilayerPerceptron;

/**
 * Click probability of a feature vector, as the TypeScript reference computes it.
 *
 * @example
 * predict(model, x);
 */
export function predict(model: RankingModel, x: ArrayLike<number>): number {
  switch (model.kind) {
    case 'logistic-regression': return predictLogisticRegression(model, x);
    case 'factorization-machine': return predictFactorizationMachine(model, x);
    case 'multilayer-perceptron': return predictMultilayerPerceptron(model, x);
  }
}

/**
 * The model as ONNX bytes.
 *
 * @example
 * toOnnx(model).byteLength; // a few hundred bytes
 */
export function toOnnx(model: RankingModel): Uint8Array {
  switch (model.kind) {
    case 'logistic-regression': return exportLogisticRegression(model);
    case 'factorization-machine': return exportFactorizationMachine(model);
    case 'multilayer-perceptron': return exportMultilayerPerceptron(model);
  }
}

/**
 * How `explain` may present contributions: exact for a linear logit, an approximation otherwise.
 *
 * @example
 * explanationKind(model); // 'exact-linear'
 */
export function explanationKind(model: RankingModel): 'exact-linear' | 'approximate-occlusion' {
  return model.kind === 'logistic-regression' ? 'exact-linear' : 'approximate-occlusion';
}
