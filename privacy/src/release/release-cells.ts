import type { RandomSource } from '../random/random-source.ts';
import { addNoise, type NoiseSpec } from '../mechanism/noise-spec.ts';

/** One output cell before noise: exact, bounded aggregates that never leave this function. */
export interface TrueCell {
  /** Dimension values in the query's order. */
  readonly key: readonly string[];
  readonly count: bigint;
  readonly sum: bigint;
  /**
   * True when every value of the key comes from a public catalogue (declared campaigns,
   * creatives, arms, days): the key is released whatever the data. False for keys discovered
   * in the data, which must pass DP partition selection.
   */
  readonly public: boolean;
}

export interface ReleaseParams {
  /** Noise on counts, calibrated by the caller to the count sensitivity and its share of ε (and δ). */
  readonly count: NoiseSpec;
  /** Noise on sums; absent when the query asks for counts only. */
  readonly sum?: NoiseSpec | undefined;
  /** k floor on the noisy count: below it a cell's numbers are withheld (on top of DP, never instead). */
  readonly kFloor: bigint;
  /** Partition-selection threshold T for discovered keys (see `selectionThreshold`). */
  readonly selectionThreshold: bigint;
}

/** A released cell: `count`/`sum` are null when suppressed, which is exactly how an empty cell looks. */
export interface ReleasedCell {
  readonly key: readonly string[];
  readonly count: bigint | null;
  readonly sum: bigint | null;
}

/**
 * Noises every cell and applies the floors, as post-processing of the noisy count only:
 * - public key: always present; numbers withheld when the noisy count is below k;
 * - discovered key: present only when its noisy count reaches max(k, T) (DP partition selection).
 * Noise is drawn for every cell, suppressed or not, so the work done does not depend on which
 * cells pass. Never compares an exact count with anything.
 * @example
 * releaseCells([{ key: ['spring'], count: 40n, sum: 0n, public: true }], params, cryptoSource());
 */
export function releaseCells(cells: readonly TrueCell[], params: ReleaseParams, rng: RandomSource): ReleasedCell[] {
  const out: ReleasedCell[] = [];
  const discoveredFloor = params.selectionThreshold > params.kFloor ? params.selectionThreshold : params.kFloor;
  for (const cell of cells) {
    const count = addNoise(cell.count, params.count, rng);
    const sum = params.sum ? addNoise(cell.sum, params.sum, rng) : null;
    const floor = cell.public ? params.kFloor : discoveredFloor;
    if (count >= floor) out.push({ key: cell.key, count, sum });
    else if (cell.public) out.push({ key: cell.key, count: null, sum: null });
  }
  return out;
}
