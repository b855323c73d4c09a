import type { RandomSource } from '../random/random-source.ts';
import { bernoulli } from './bernoulli.ts';

/**
 * An exact Bernoulli(exp(−γ)) draw for a rational `γ = num/den ≥ 0` (CKS20 Algorithm 1).
 * For γ ≤ 1: K ← 1; while Bernoulli(γ/K) do K ← K + 1; return "K is odd" — the alternating
 * series of exp(−γ). For γ > 1: ⌊γ⌋ independent Bernoulli(exp(−1)) (stopping at the first 0),
 * then Bernoulli(exp(−(γ − ⌊γ⌋))).
 * @example
 * bernoulliExp(1n, 2n, rng); // true with probability exp(-1/2)
 */
export function bernoulliExp(num: bigint, den: bigint, rng: RandomSource): boolean {
  if (num < 0n || den < 1n) throw new RangeError('bernoulliExp: need num >= 0, den >= 1');
  if (num <= den) return bernoulliExpAtMostOne(num, den, rng);
  const whole = num / den;
  for (let i = 0n; i < whole; i++) {
    if (!bernoulliExpAtMostOne(1n, 1n, rng)) return false;
  }
  return bernoulliExpAtMostOne(num - whole * den, den, rng);
}

function bernoulliExpAtMostOne(num: bigint, den: bigint, rng: RandomSource): boolean {
  let k = 1n;
  while (bernoulli(num, den * k, rng)) k++;
  return k % 2n === 1n;
}
