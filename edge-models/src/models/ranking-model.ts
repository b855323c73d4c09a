import { exportFactorizationMachine } from './export-onnx.ts';
import { exportLogisticRegression } from './export-onnx.ts';
import { predictFactorizationMachine, type FactorizationMachine } from './factorization-machine.ts';
import { predictLogisticRegression, type LogisticRegression } from './logistic-regression.ts';

/** Any trained ranking model of this package. */
export type RankingModel = LogisticRegression | FactorizationMachine;

/**
 * Click probability of a feature vector, as the TypeScript reference computes it.
 *
 * @example
 * predict(model, x);
 */
export function predict(model: RankingModel, x: ArrayLike<number>): number {
  return model.kind === 'logistic-regression' ? predictLogisticRegression(model, x) : predictFactorizationMachine(model, x);
}

/**
 * The model as ONNX bytes.
 *
 * @example
 * toOnnx(model).byteLength; // a few hundred bytes
 */
export function toOnnx(model: RankingModel): Uint8Array {
  return model.kind === 'logistic-regression' ? exportLogisticRegression(model) : exportFactorizationMachine(model);
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
