import type { Rational } from '../rational/rational.ts';

/**
 * Laplace-threshold partition selection (privacy.md §3, Google's `laplace.Threshold`, OpenDP's
 * `make_laplace_threshold`): a key discovered from the data is released only when its noisy
 * count reaches T. A key that exists only because of one unit has a true count of at most
 * `maxPerKey` (1 when cells are full partitions, since a unit counts once per partition; up to
 * L0 when a coarser grouping merges a unit's partitions), so with discrete Laplace noise of
 * scale b (a = exp(−1/b)) it is released with probability at most P(Z ≥ T − c) = a^(T−c)/(1 + a).
 * A unit creates at most L0 keys, so per-key δ_p = δ/L0 (≤ 1 − (1 − δ)^(1/L0), the
 * conservative side) bounds the total by δ. Returns the smallest integer T with that
 * probability ≤ δ_p. Public parameters only.
 * @example
 * selectionThreshold(rational(1n), 1n, 1e-6); // 15n
 */
export function selectionThreshold(scale: Rational, maxPartitions: bigint, delta: number, maxPerKey: bigint = 1n): bigint {
  if (!(delta > 0 && delta < 1)) throw new RangeError('selectionThreshold: delta must be in (0, 1)');
  const a = Math.exp(-Number(scale.den) / Number(scale.num));
  const c = Number(maxPerKey);
  const deltaP = delta / Number(maxPartitions);
  const released = (t: number) => a ** (t - c) / (1 + a);
  let t = Math.max(c, c + Math.ceil(Math.log(deltaP * (1 + a)) / Math.log(a)));
  while (t > c && released(t - 1) <= deltaP) t--;
  while (released(t) > deltaP) t++;
  return BigInt(t);
}
