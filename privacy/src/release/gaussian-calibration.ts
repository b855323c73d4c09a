import { rational, type Rational } from '../rational/rational.ts';

/** ρ is rounded down to a multiple of 1/ρ_DENOMINATOR: less ρ means more noise, never less privacy. */
const RHO_DENOMINATOR = 1_000_000_000_000n;

/**
 * The largest ρ (rounded down to an exact rational) such that ρ-zCDP implies (ε, δ)-DP by
 * Bun–Steinke's conversion ε = ρ + 2·√(ρ·ln(1/δ)), i.e. ρ = (√(ln(1/δ) + ε) − √(ln(1/δ)))².
 * Floating point is used on public parameters only and the result is shaded down, so the
 * released noise is at least what (ε, δ) needs.
 * @example
 * rhoFor(1, 1e-7); // ≈ 0.01505 (as an exact rational)
 */
export function rhoFor(epsilon: number, delta: number): Rational {
  if (!(epsilon > 0) || !(delta > 0 && delta < 1)) throw new RangeError('rhoFor: need epsilon > 0 and delta in (0, 1)');
  const l = Math.log(1 / delta);
  const rho = (Math.sqrt(l + epsilon) - Math.sqrt(l)) ** 2 * (1 - 1e-9);
  const num = BigInt(Math.floor(rho * Number(RHO_DENOMINATOR)));
  if (num < 1n) throw new RangeError('rhoFor: epsilon too small for this delta');
  return rational(num, RHO_DENOMINATOR);
}

/**
 * σ² = Δ₂²/(2ρ) for the discrete Gaussian (CKS20 Theorem 4: ρ-zCDP), with the squared L2
 * sensitivity given exactly (a unit moves L0 cells by at most C each: Δ₂² = L0·C²).
 * @example
 * gaussianVarianceFor(4n, rational(1n, 100n)); // 200
 */
export function gaussianVarianceFor(l2SensitivitySquared: bigint, rho: Rational): Rational {
  return rational(l2SensitivitySquared * rho.den, 2n * rho.num);
}

/**
 * Half-width h with P(|Z| > h) ≤ 1 − confidence for Z ~ N_Z(0, σ²), from the discrete
 * Gaussian's subgaussian tail P(Z ≥ t) ≤ exp(−t²/2σ²) (CKS20 Proposition 23): h = ⌈σ·√(2·ln(2/miss))⌉.
 * Conservative (≈ 2.72σ for 95 % where the exact figure is ≈ 1.96σ).
 * @example
 * gaussianHalfWidth(rational(100n)); // 28n
 */
export function gaussianHalfWidth(variance: Rational, confidence = 0.95): bigint {
  const sigma = Math.sqrt(Number(variance.num) / Number(variance.den));
  return BigInt(Math.ceil(sigma * Math.sqrt(2 * Math.log(2 / (1 - confidence)))));
}

/**
 * Partition-selection threshold under discrete Gaussian noise: with a one-unit key's true count
 * at most c = `maxPerKey` (see `selectionThreshold`), the smallest T with P(c + Z ≥ T) ≤ δ/L0
 * by the same subgaussian tail, T = c + ⌈σ·√(2·ln(L0/δ))⌉.
 * @example
 * gaussianSelectionThreshold(rational(100n), 1n, 1e-6); // 54n
 */
export function gaussianSelectionThreshold(variance: Rational, maxPartitions: bigint, delta: number, maxPerKey: bigint = 1n): bigint {
  const sigma = Math.sqrt(Number(variance.num) / Number(variance.den));
  return maxPerKey + BigInt(Math.ceil(sigma * Math.sqrt(2 * Math.log(Number(maxPartitions) / delta))));
}
