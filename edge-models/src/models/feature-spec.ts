import type { ObdRow } from './obd-loader.ts';

/** One column of the model's `features` input: how training computes it and how the device does. */
export interface FeatureColumn {
  readonly name: string;
  /** How the column is computed from an OBD row at training time. */
  readonly obd: string;
  /** How the SDK computes it from the visitor's own on-device state (never sent anywhere). */
  readonly device: string;
}

/**
 * The features every exported ranking model takes, in input order. OBD's user–item affinity is the
 * user's past clicks per item; on the device that is the visitor's own interaction count per item.
 * Position is a logging bias: trained on, then held at position 1 (both flags 0) when ranking.
 */
export const FEATURE_SPEC: readonly FeatureColumn[] = [
  { name: 'item_affinity', obd: 'log1p(user-item_affinity[item])', device: 'log1p(interactions with this candidate item)' },
  { name: 'item_seen', obd: 'user-item_affinity[item] > 0 ? 1 : 0', device: 'interactions with this candidate item > 0 ? 1 : 0' },
  { name: 'category_affinity', obd: 'log1p(sum of user-item_affinity over items with the same item_feature_1)', device: "log1p(interactions with items of this candidate's category)" },
  { name: 'total_activity', obd: 'log1p(sum of user-item_affinity over all items)', device: 'log1p(all interactions of the visitor)' },
  { name: 'position_2', obd: 'position == 2 ? 1 : 0', device: '0 (rank as if in the first slot)' },
  { name: 'position_3', obd: 'position == 3 ? 1 : 0', device: '0 (rank as if in the first slot)' },
];

/** Number of columns of the `features` input. */
export const FEATURE_COUNT = FEATURE_SPEC.length;

/**
 * The feature vector of one OBD impression, in {@link FEATURE_SPEC} order.
 *
 * @example
 * const x = featurize(rows[0]); // Float64Array(6)
 */
export function featurize(row: ObdRow): Float64Array {
  const own = row.affinity[row.itemId]!;
  const category = row.itemCategory[row.itemId];
  let sameCategory = 0;
  let total = 0;
  for (let i = 0; i < row.affinity.length; i++) {
    total += row.affinity[i]!;
    if (row.itemCategory[i] === category) sameCategory += row.affinity[i]!;
  }
  return Float64Array.of(Math.log1p(own), own > 0 ? 1 : 0, Math.log1p(sameCategory), Math.log1p(total), row.position === 2 ? 1 : 0, row.position === 3 ? 1 : 0);
}

/**
 * The same vector from on-device counts (what the SDK's feature store holds) for a candidate.
 *
 * @example
 * featuresFromCounts({ item: 2, category: 5, total: 9 }); // position flags 0
 */
export function featuresFromCounts(counts: { readonly item: number; readonly category: number; readonly total: number }): Float64Array {
  return Float64Array.of(Math.log1p(counts.item), counts.item > 0 ? 1 : 0, Math.log1p(counts.category), Math.log1p(counts.total), 0, 0);
}
