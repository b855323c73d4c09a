import type { ContributionBounds } from './bound-contribution.ts';

/**
 * L1 sensitivities implied by the bounds: a unit moves at most `maxPartitions` cell counts by 1
 * and at most `maxPartitions` cell sums by `maxValue` (Google DP's `l1 = l0 · linf`).
 * @example
 * sensitivities({ maxPartitions: 4n, maxValue: 10000n }); // { count: 4n, sum: 40000n }
 */
export function sensitivities(bounds: ContributionBounds): { count: bigint; sum: bigint } {
  return { count: bounds.maxPartitions, sum: bounds.maxPartitions * bounds.maxValue };
}
