/** Adam's usual defaults (Kingma & Ba 2015); the learning rate is set by each trainer. */
export const ADAM_BETA1 = 0.9;
export const ADAM_BETA2 = 0.999;
export const ADAM_EPSILON = 1e-8;

/**
 * One Adam optimizer over a flat parameter vector; `step(grad)` updates `params` in place.
 *
 * @example
 * const opt = adam(params, 0.05); opt.step(grad);
 */
export function adam(params: Float64Array, learningRate: number): { step(grad: Float64Array): void } {
  const m = new Float64Array(params.length);
  const v = new Float64Array(params.length);
  let t = 0;
  return {
    step(grad) {
      t++;
      const c1 = 1 - ADAM_BETA1 ** t;
      const c2 = 1 - ADAM_BETA2 ** t;
      for (let i = 0; i < params.length; i++) {
        m[i] = ADAM_BETA1 * m[i]! + (1 - ADAM_BETA1) * grad[i]!;
        v[i] = ADAM_BETA2 * v[i]! + (1 - ADAM_BETA2) * grad[i]! * grad[i]!;
        params[i]! -= (learningRate * (m[i]! / c1)) / (Math.sqrt(v[i]! / c2) + ADAM_EPSILON);
      }
    },
  };
}

/** The logistic function. */
export const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));
