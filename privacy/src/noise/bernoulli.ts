import type { RandomSource } from '../random/random-source.ts';

/**
 * An exact Bernoulli(num/den) draw: `uniform[0, den) < num`. Requires `0 ≤ num ≤ den`, `den ≥ 1`.
 * @example
 * bernoulli(1n, 3n, rng); // true with probability exactly 1/3
 */
export function bernoulli(num: bigint, den: bigint, rng: RandomSource): boolean {
  if (num < 0n || den < 1n || num > den) throw new RangeError('bernoulli: need 0 <= num <= den, den >= 1');
  return rng.below(den) < num;
}
