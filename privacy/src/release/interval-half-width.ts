import type { Rational } from '../rational/rational.ts';

/** The two-sided coverage of the intervals the report API prints. */
export const INTERVAL_CONFIDENCE = 0.95;

/**
 * The smallest integer h with P(|Z| ≤ h) ≥ `confidence` for discrete Laplace noise Z of scale
 * `b`: P(|Z| > h) = 2·a^(h+1)/(1 + a), a = exp(−1/b). So `[released − h, released + h]` covers
 * the true (bounded) value with at least that probability. This is post-processing of public
 * parameters (ε, sensitivity), never of data, so floating point is harmless here; the result is
 * checked against the exact tail to absorb rounding.
 * @example
 * laplaceHalfWidth(rational(1n)); // 3n: P(|Z| > 3) = 2e^-4/(1+e^-1) ≈ 0.027
 */
export function laplaceHalfWidth(scale: Rational, confidence: number = INTERVAL_CONFIDENCE): bigint {
  const a = Math.exp(-Number(scale.den) / Number(scale.num));
  const miss = 1 - confidence;
  const tail = (h: number) => (2 * a ** (h + 1)) / (1 + a);
  let h = Math.max(0, Math.ceil(Math.log((miss * (1 + a)) / 2) / Math.log(a) - 1));
  while (h > 0 && tail(h - 1) <= miss) h--;
  while (tail(h) > miss) h++;
  return BigInt(h);
}
