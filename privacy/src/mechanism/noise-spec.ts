import type { RandomSource } from '../random/random-source.ts';
import type { Rational } from '../rational/rational.ts';
import { discreteLaplace } from '../noise/discrete-laplace.ts';
import { discreteGaussian } from '../noise/discrete-gaussian.ts';

/** Which integer noise to add, fully parameterized by exact rationals. */
export type NoiseSpec =
  | { readonly kind: 'laplace'; readonly scale: Rational }
  | { readonly kind: 'gaussian'; readonly variance: Rational };

/**
 * `value` plus one fresh draw of the specified noise.
 * @example
 * addNoise(40n, { kind: 'gaussian', variance: rational(8n) }, rng);
 */
export function addNoise(value: bigint, spec: NoiseSpec, rng: RandomSource): bigint {
  if (spec.kind === 'laplace') return value + discreteLaplace(spec.scale, rng);
  return value + discreteGaussian(spec.variance, rng);
}
