import { adam, sigmoid } from './adam.ts';

/** Trained logistic regression; weights are float32-exact (what the ONNX file holds). */
export interface LogisticRegression {
  readonly kind: 'logistic-regression';
  readonly bias: number;
  readonly weights: Float32Array;
}

/** Training settings; defaults chosen on the training days only (full batch, converges well before). */
export const LR_DEFAULTS = { iterations: 1500, learningRate: 0.05, l2: 1e-3 } as const;

/**
 * Fit by full-batch Adam on mean log-loss + (l2/2)·|w|² (bias unpenalised). Deterministic: zero init, no sampling.
 *
 * @example
 * const model = trainLogisticRegression(xs, ys);
 */
export function trainLogisticRegression(xs: readonly Float64Array[], ys: ArrayLike<number>, options: Partial<typeof LR_DEFAULTS> = {}): LogisticRegression {
  const { iterations, learningRate, l2 } = { ...LR_DEFAULTS, ...options };
  const d = xs[0]!.length;
  const params = new Float64Array(d + 1); // [bias, w...]
  const grad = new Float64Array(d + 1);
  const opt = adam(params, learningRate);
  for (let it = 0; it < iterations; it++) {
    grad.fill(0);
    for (let n = 0; n < xs.length; n++) {
      const x = xs[n]!;
      let z = params[0]!;
      for (let i = 0; i < d; i++) z += params[i + 1]! * x[i]!;
      const e = sigmoid(z) - ys[n]!;
      grad[0]! += e;
      for (let i = 0; i < d; i++) grad[i + 1]! += e * x[i]!;
    }
    for (let i = 0; i <= d; i++) grad[i] = grad[i]! / xs.length + (i > 0 ? l2 * params[i]! : 0);
    opt.step(grad);
  }
  return { kind: 'logistic-regression', bias: Math.fround(params[0]!), weights: Float32Array.from(params.subarray(1)) };
}

/**
 * Click probability of one feature vector.
 *
 * @example
 * predictLogisticRegression(model, x); // 0.004…
 */
export function predictLogisticRegression(model: LogisticRegression, x: ArrayLike<number>): number {
  let z = model.bias;
  for (let i = 0; i < model.weights.length; i++) z += model.weights[i]! * x[i]!;
  return sigmoid(z);
}
