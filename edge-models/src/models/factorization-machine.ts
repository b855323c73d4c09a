import { adam, sigmoid } from './adam.ts';
import { seededRandom } from './seeded-random.ts';

/** Trained second-order factorization machine (Rendle 2010); parameters are float32-exact. */
export interface FactorizationMachine {
  readonly kind: 'factorization-machine';
  readonly bias: number;
  readonly weights: Float32Array;
  /** Factors, row-major `[features × factors]`. */
  readonly factors: Float32Array;
  readonly factorCount: number;
}

/** Training settings; chosen on the training days only. */
export const FM_DEFAULTS = { factorCount: 3, iterations: 1500, learningRate: 0.03, l2: 1e-3, l2Factors: 1e-4, seed: 9, initScale: 0.1 } as const;

/**
 * Fit by full-batch Adam on mean log-loss with L2; factors start from a seeded uniform draw, so
 * the same seed gives the same model.
 *
 * @example
 * const fm = trainFactorizationMachine(xs, ys, { factorCount: 3 });
 */
export function trainFactorizationMachine(xs: readonly Float64Array[], ys: ArrayLike<number>, options: Partial<typeof FM_DEFAULTS> = {}): FactorizationMachine {
  const o = { ...FM_DEFAULTS, ...options };
  const d = xs[0]!.length;
  const k = o.factorCount;
  const next = seededRandom(o.seed);
  const params = new Float64Array(1 + d + d * k); // [bias, w(d), V(d×k)]
  for (let i = 1 + d; i < params.length; i++) params[i] = (next() * 2 - 1) * o.initScale;
  const grad = new Float64Array(params.length);
  const sums = new Float64Array(k);
  const opt = adam(params, o.learningRate);
  for (let it = 0; it < o.iterations; it++) {
    grad.fill(0);
    for (let n = 0; n < xs.length; n++) {
      const x = xs[n]!;
      const e = sigmoid(logit(params, d, k, x, sums)) - ys[n]!;
      grad[0]! += e;
      for (let i = 0; i < d; i++) {
        grad[1 + i]! += e * x[i]!;
        for (let f = 0; f < k; f++) grad[1 + d + i * k + f]! += e * (x[i]! * sums[f]! - params[1 + d + i * k + f]! * x[i]! * x[i]!);
      }
    }
    for (let i = 0; i < params.length; i++) {
      const l2 = i === 0 ? 0 : i <= d ? o.l2 : o.l2Factors;
      grad[i] = grad[i]! / xs.length + l2 * params[i]!;
    }
    opt.step(grad);
  }
  return {
    kind: 'factorization-machine', bias: Math.fround(params[0]!), weights: Float32Array.from(params.subarray(1, 1 + d)),
    factors: Float32Array.from(params.subarray(1 + d)), factorCount: k,
  };
}

/** FM logit; fills `sums` with Σ_j v_jf x_j (reused by the gradient). */
function logit(params: ArrayLike<number>, d: number, k: number, x: ArrayLike<number>, sums: Float64Array): number {
  let z = params[0]!;
  for (let i = 0; i < d; i++) z += params[1 + i]! * x[i]!;
  for (let f = 0; f < k; f++) {
    let s = 0;
    let sq = 0;
    for (let i = 0; i < d; i++) {
      const v = params[1 + d + i * k + f]! * x[i]!;
      s += v;
      sq += v * v;
    }
    sums[f] = s;
    z += 0.5 * (s * s - sq);
  }
  return z;
}

/**
 * Click probability of one feature vector.
 *
 * @example
 * predictFactorizationMachine(fm, x);
 */
export function predictFactorizationMachine(model: FactorizationMachine, x: ArrayLike<number>): number {
  const d = model.weights.length;
  const params = [model.bias, ...model.weights, ...model.factors];
  return sigmoid(logit(params, d, model.factorCount, x, new Float64Array(model.factorCount)));
}
