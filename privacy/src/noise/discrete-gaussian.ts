import type { RandomSource } from '../random/random-source.ts';
import { isqrt } from '../rational/isqrt.ts';
import { rational, type Rational } from '../rational/rational.ts';
import { bernoulliExp } from './bernoulli-exp.ts';
import { discreteLaplace } from './discrete-laplace.ts';

/**
 * An exact draw from the discrete Gaussian N_Z(0, σ²) for a rational variance `σ² = n/d`:
 * P(Z = z) ∝ exp(−z²/(2σ²)) (CKS20 Algorithm 3). With L2 sensitivity Δ it satisfies
 * ρ-zCDP for ρ = Δ²/(2σ²).
 * Proposal: discrete Laplace with scale t = ⌊σ⌋ + 1, accepted with probability
 * exp(−(|Y| − σ²/t)²/(2σ²)) = exp(−(|Y|·t·d − n)² / (2·n·t²·d)).
 * @example
 * discreteGaussian(rational(9n), rng); // σ = 3
 */
export function discreteGaussian(variance: Rational, rng: RandomSource): bigint {
  const n = variance.num;
  const d = variance.den;
  if (n < 1n) throw new RangeError('discreteGaussian: variance must be positive');
  // ⌊√(n/d)⌋ = ⌊√⌊n/d⌋⌋.
  const t = isqrt(n / d) + 1n;
  const proposal = rational(t);
  for (;;) {
    const y = discreteLaplace(proposal, rng);
    const magnitude = y < 0n ? -y : y;
    const gap = magnitude * t * d - n;
    if (bernoulliExp(gap * gap, 2n * n * t * t * d, rng)) return y;
  }
}
