import type { Rational } from '../rational/rational.ts';

/**
 * Laplace-threshold partition selection (privacy.md §3, Google's `laplace.Threshold`, OpenDP's
 * `make_laplace_threshold`): a key discovered from the data is released only when its noisy
 * count reaches T. A key that exists only because of one unit has true count 1 (a unit counts
 * once per partition), so with discrete Laplace noise of scale b (a = exp(−1/b)) it is released
 * with probability P(Z ≥ T − 1) = a^(T−1)/(1 + a). A unit touches at most L0 partitions, so
 * per-partition δ_p = δ/L0 (≤ 1 − (1 − δ)^(1/L0), the conservative side) bounds the total by δ.
 * Returns the smallest integer T with that probability ≤ δ_p. Public parameters only.
 * @example
 * selectionThreshold(rational(1n), 1n, 1e-6); // 15n
 */
export function selectionThreshold(scale: Rational, maxPartitions: bigint, delta: number): bigint {
  if (!(delta > 0 && delta < 1)) throw new RangeError('selectionThreshold: delta must be in (0, 1)');
  const a = Math.exp(-Number(scale.den) / Number(scale.num));
  const deltaP = delta / Number(maxPartitions);
  const released = (t: number) => a ** (t - 1) / (1 + a);
  let t = Math.max(1, 1 + Math.ceil(Math.log(deltaP * (1 + a)) / Math.log(a)));
  while (t > 1 && released(t - 1) <= deltaP) t--;
  while (released(t) > deltaP) t++;
  return BigInt(t);
}
