import { adam, sigmoid } from './adam.ts';
import { seededRandom } from './seeded-random.ts';

/** Trained one-hidden-layer perceptron (ReLU); parameters are float32-exact (what the ONNX file holds). */
export interface MultilayerPerceptron {
  readonly kind: 'multilayer-perceptron';
  /** Hidden layer, row-major `[features × hidden]` (ONNX Gemm's B), and its bias `[hidden]`. */
  readonly hiddenWeights: Float32Array;
  readonly hiddenBias: Float32Array;
  /** Output layer `[hidden]` and bias. */
  readonly outputWeights: Float32Array;
  readonly outputBias: number;
  readonly hidden: number;
}

/** Training settings; chosen on the training days only (small: 20k impressions, < 100 clicks). */
export const MLP_DEFAULTS = { hidden: 8, iterations: 1200, learningRate: 0.01, l2: 1e-3, seed: 17 } as const;

/**
 * Fit by full-batch Adam on mean log-loss + (l2/2)·|W|² (biases unpenalised). Weights start from a
 * seeded He-uniform draw, so the same seed gives the same model bytes on every machine.
 *
 * @example
 * const mlp = trainMultilayerPerceptron(xs, ys, { hidden: 8 });
 */
export function trainMultilayerPerceptron(xs: readonly Float64Array[], ys: ArrayLike<number>, options: Partial<Record<keyof typeof MLP_DEFAULTS, number>> = {}): MultilayerPerceptron {
  const o = { ...MLP_DEFAULTS, ...options };
  const d = xs[0]!.length;
  const h = o.hidden;
  // params: [W1 (d×h) | b1 (h) | w2 (h) | b2]
  const W1 = 0;
  const B1 = d * h;
  const W2 = B1 + h;
  const B2 = W2 + h;
  const params = new Float64Array(B2 + 1);
  const next = seededRandom(o.seed);
  const limit1 = Math.sqrt(6 / d);
  for (let i = 0; i < d * h; i++) params[W1 + i] = (next() * 2 - 1) * limit1;
  for (let j = 0; j < h; j++) params[B1 + j] = 0.01; // a small positive start keeps every unit alive
  const limit2 = Math.sqrt(6 / h);
  for (let j = 0; j < h; j++) params[W2 + j] = (next() * 2 - 1) * limit2 * 0.1;
  const grad = new Float64Array(params.length);
  const act = new Float64Array(h);
  const active = new Int32Array(d);
  const opt = adam(params, o.learningRate);
  for (let it = 0; it < o.iterations; it++) {
    grad.fill(0);
    for (let n = 0; n < xs.length; n++) {
      const x = xs[n]!;
      // Most inputs are 0 (no affinity, not in slot 2 or 3): only the others take part (the same sums).
      let nz = 0;
      for (let i = 0; i < d; i++) if (x[i] !== 0) active[nz++] = i;
      let z = params[B2]!;
      for (let j = 0; j < h; j++) {
        let a = params[B1 + j]!;
        for (let q = 0; q < nz; q++) a += x[active[q]!]! * params[W1 + active[q]! * h + j]!;
        act[j] = a > 0 ? a : 0;
        z += act[j]! * params[W2 + j]!;
      }
      const e = sigmoid(z) - ys[n]!;
      grad[B2]! += e;
      for (let j = 0; j < h; j++) {
        grad[W2 + j]! += e * act[j]!;
        if (act[j]! <= 0) continue;
        const back = e * params[W2 + j]!;
        grad[B1 + j]! += back;
        for (let q = 0; q < nz; q++) grad[W1 + active[q]! * h + j]! += back * x[active[q]!]!;
      }
    }
    for (let i = 0; i < params.length; i++) {
      const penalised = i < B1 || (i >= W2 && i < B2);
      grad[i] = grad[i]! / xs.length + (penalised ? o.l2 * params[i]! : 0);
    }
    opt.step(grad);
  }
  return {
    kind: 'multilayer-perceptron', hidden: h,
    hiddenWeights: Float32Array.from(params.subarray(W1, B1)), hiddenBias: Float32Array.from(params.subarray(B1, W2)),
    outputWeights: Float32Array.from(params.subarray(W2, B2)), outputBias: Math.fround(params[B2]!),
  };
}

/**
 * Click probability of one feature vector: σ(w₂·ReLU(x·W₁ + b₁) + b₂).
 *
 * @example
 * predictMultilayerPerceptron(mlp, x);
 */
export function predictMultilayerPerceptron(model: MultilayerPerceptron, x: ArrayLike<number>): number {
  const h = model.hidden;
  let z = model.outputBias;
  for (let j = 0; j < h; j++) {
    let a = model.hiddenBias[j]!;
    for (let i = 0; i < x.length; i++) a += x[i]! * model.hiddenWeights[i * h + j]!;
    if (a > 0) z += a * model.outputWeights[j]!;
  }
  return sigmoid(z);
}
