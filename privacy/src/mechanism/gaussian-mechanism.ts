import type { RandomSource } from '../random/random-source.ts';
import { rational, type Rational } from '../rational/rational.ts';
import { discreteGaussian } from '../noise/discrete-gaussian.ts';

/**
 * The variance σ² = Δ²/(2ρ) that makes the discrete Gaussian ρ-zCDP for L2 sensitivity Δ (CKS20 Thm 4).
 * @example
 * formatRational(gaussianVariance(1n, rational(1n, 2n))); // "1"
 */
export function gaussianVariance(l2Sensitivity: bigint, rho: Rational): Rational {
  if (l2Sensitivity < 1n) throw new RangeError('gaussianVariance: sensitivity must be a positive integer');
  if (rho.num < 1n) throw new RangeError('gaussianVariance: rho must be positive');
  return rational(l2Sensitivity * l2Sensitivity * rho.den, 2n * rho.num);
}

/**
 * The ρ-zCDP release of an integer `value` with L2 sensitivity Δ: value plus N_Z(0, Δ²/(2ρ)).
 * @example
 * gaussianMechanism(120n, 1n, rational(1n, 8n), cryptoSource());
 */
export function gaussianMechanism(value: bigint, l2Sensitivity: bigint, rho: Rational, rng: RandomSource): bigint {
  return value + discreteGaussian(gaussianVariance(l2Sensitivity, rho), rng);
}
