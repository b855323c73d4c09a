import type { RandomSource } from '../random/random-source.ts';
import { rational, type Rational } from '../rational/rational.ts';
import { discreteLaplace } from '../noise/discrete-laplace.ts';

/**
 * The discrete Laplace scale Δ/ε for an integer query with L1 sensitivity Δ, as an exact rational.
 * @example
 * formatRational(laplaceScale(4n, rational(1n, 2n))); // "8"
 */
export function laplaceScale(sensitivity: bigint, epsilon: Rational): Rational {
  if (sensitivity < 1n) throw new RangeError('laplaceScale: sensitivity must be a positive integer');
  if (epsilon.num < 1n) throw new RangeError('laplaceScale: epsilon must be positive');
  return rational(sensitivity * epsilon.den, epsilon.num);
}

/**
 * The ε-DP release of an integer `value` whose L1 sensitivity is `sensitivity`: value plus
 * discrete Laplace noise of scale Δ/ε. This one function is what both the report API and the
 * `sluice-dp` audit CLI call.
 * @example
 * laplaceMechanism(120n, 1n, rational(1n, 10n), cryptoSource()); // 120 ± noise of scale 10
 */
export function laplaceMechanism(value: bigint, sensitivity: bigint, epsilon: Rational, rng: RandomSource): bigint {
  return value + discreteLaplace(laplaceScale(sensitivity, epsilon), rng);
}
