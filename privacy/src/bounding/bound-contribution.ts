import type { RandomSource } from '../random/random-source.ts';

/**
 * What one privacy unit (site, visitor, day) has already contributed to one partition: the
 * partition key and the unit's clamped value there (integer minor units).
 */
export interface UnitPartition {
  readonly partition: string;
  readonly value: bigint;
}

/** A unit's bounding state: the partitions it counts in, and the ones it was refused. */
export interface UnitState {
  readonly kept: readonly UnitPartition[];
  readonly dropped: readonly string[];
}

/** L0 and L∞ bounds per privacy unit (privacy.md §2). */
export interface ContributionBounds {
  /** L0: partitions one unit may count in. */
  readonly maxPartitions: bigint;
  /** The clamp C on a unit's summed value per partition, in integer minor units. */
  readonly maxValue: bigint;
}

/** What to do with one incoming event of a unit. Counts move by 0 or ±1, sums by the value change. */
export type BoundedStep =
  /** Count the unit in a new partition with this (clamped) value. */
  | { readonly kind: 'new'; readonly value: bigint }
  /** The unit's value in a kept partition grows (still clamped). */
  | { readonly kind: 'raise'; readonly from: bigint; readonly to: bigint }
  /** Reservoir step: un-count the unit from `evict` (its value there was `evictedValue`), count it in the new partition. */
  | { readonly kind: 'replace'; readonly evict: string; readonly evictedValue: bigint; readonly value: bigint }
  /** Refuse a new partition for good (remember it, so its later events are ignored too). */
  | { readonly kind: 'drop' }
  /** Nothing changes (value already at the cap, or a partition refused before). */
  | { readonly kind: 'ignore' };

/**
 * Enforces the bounds on the data, not by assumption: a unit counts at most once per partition,
 * in at most `maxPartitions` partitions, and its value per partition is clamped to
 * `[0, maxValue]` before anything is summed. Which partitions a unit keeps when it touches more
 * than L0 is decided by reservoir sampling (Vitter's Algorithm R over its distinct partitions in
 * order of first appearance): every L0-subset is equally likely, so reports are not biased
 * toward a visitor's first clicks (privacy.md §2: "drop extra partitions by random sampling").
 * The choice depends only on the unit's own events and fresh randomness, so the sensitivity
 * holds: at most L0 counts of 1 and L0 sums of at most C.
 * @example
 * boundContribution({ kept: [], dropped: [] }, 'p1', 250n, { maxPartitions: 4n, maxValue: 100n }, rng); // { kind: 'new', value: 100n }
 */
export function boundContribution(state: UnitState, partition: string, value: bigint, bounds: ContributionBounds, rng: RandomSource): BoundedStep {
  const clamped = clamp(value, bounds.maxValue);
  const current = state.kept.find((p) => p.partition === partition);
  if (current) {
    const to = clamp(current.value + clamped, bounds.maxValue);
    return to === current.value ? { kind: 'ignore' } : { kind: 'raise', from: current.value, to };
  }
  if (state.dropped.includes(partition)) return { kind: 'ignore' };
  const kept = BigInt(state.kept.length);
  if (kept < bounds.maxPartitions) return { kind: 'new', value: clamped };
  // The m-th distinct partition replaces a uniformly chosen kept one with probability L0/m.
  const m = kept + BigInt(state.dropped.length) + 1n;
  const j = rng.below(m);
  if (j >= kept) return { kind: 'drop' };
  const evicted = state.kept[Number(j)]!;
  return { kind: 'replace', evict: evicted.partition, evictedValue: evicted.value, value: clamped };
}

function clamp(value: bigint, max: bigint): bigint {
  return value < 0n ? 0n : value > max ? max : value;
}
