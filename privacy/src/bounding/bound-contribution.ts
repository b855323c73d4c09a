/**
 * What one privacy unit (site, visitor, day) has already contributed to one partition: the
 * partition key and the unit's clamped value there (integer minor units).
 */
export interface UnitPartition {
  readonly partition: string;
  readonly value: bigint;
}

/** L0 and L∞ bounds per privacy unit (privacy.md §2). */
export interface ContributionBounds {
  /** L0: partitions one unit may touch; later partitions are dropped. */
  readonly maxPartitions: bigint;
  /** The clamp C on a unit's summed value per partition, in integer minor units. */
  readonly maxValue: bigint;
}

/** What to do with one incoming event of a unit. Counts move by 0 or 1, sums by `to − from`. */
export type BoundedStep =
  | { readonly kind: 'new'; readonly value: bigint }
  | { readonly kind: 'raise'; readonly from: bigint; readonly to: bigint }
  | { readonly kind: 'keep' }
  | { readonly kind: 'drop' };

/**
 * Enforces the bounds on the data, not by assumption: a unit counts at most once per partition,
 * in at most `maxPartitions` partitions, and its value per partition is clamped to
 * `[0, maxValue]` before anything is summed. The first partitions a unit touches (in arrival
 * order) are kept: that depends only on the unit's own events, so the sensitivity holds.
 * @example
 * boundContribution([], 'p1', 250n, { maxPartitions: 4n, maxValue: 100n }); // { kind: 'new', value: 100n }
 */
export function boundContribution(existing: readonly UnitPartition[], partition: string, value: bigint, bounds: ContributionBounds): BoundedStep {
  const clamped = clamp(value, bounds.maxValue);
  const current = existing.find((p) => p.partition === partition);
  if (current) {
    const to = clamp(current.value + clamped, bounds.maxValue);
    return to === current.value ? { kind: 'keep' } : { kind: 'raise', from: current.value, to };
  }
  if (BigInt(existing.length) >= bounds.maxPartitions) return { kind: 'drop' };
  return { kind: 'new', value: clamped };
}

function clamp(value: bigint, max: bigint): bigint {
  return value < 0n ? 0n : value > max ? max : value;
}
