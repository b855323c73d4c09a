import type { RandomSource } from '../random/random-source.ts';
import type { Rational } from '../rational/rational.ts';
import { bernoulli } from './bernoulli.ts';
import { bernoulliExp } from './bernoulli-exp.ts';

/**
 * An exact draw from the discrete Laplace (two-sided geometric) distribution with scale
 * `b = t/s`: P(Z = z) = (1 − a)/(1 + a) · a^|z| with a = exp(−1/b) (CKS20 Algorithm 2).
 * Adding it to an integer with L1 sensitivity Δ and scale Δ/ε is ε-DP.
 * @example
 * discreteLaplace(rational(5n, 2n), rng); // an integer, e.g. -3n
 */
export function discreteLaplace(scale: Rational, rng: RandomSource): bigint {
  const t = scale.num;
  const s = scale.den;
  if (t < 1n) throw new RangeError('discreteLaplace: scale must be positive');
  for (;;) {
    // X = U + t·V is geometric with parameter exp(−1/t): U uniform on [0, t) accepted with
    // probability exp(−U/t), V geometric with parameter exp(−1).
    const u = rng.below(t);
    if (!bernoulliExp(u, t, rng)) continue;
    let v = 0n;
    while (bernoulliExp(1n, 1n, rng)) v++;
    const y = (u + t * v) / s;
    const negative = bernoulli(1n, 2n, rng);
    // Rejecting "−0" makes zero as likely as any other value's pmf says (not twice as likely).
    if (negative && y === 0n) continue;
    return negative ? -y : y;
  }
}
