/**
 * A declared context: named numeric features and one-hot categories, in this order, after a
 * bias term. `dimension` must equal 1 + numerics + the sum of category sizes; declaring it makes
 * a config that silently changed shape fail validation instead of mis-reading stored models.
 */
export type FeatureSpec =
  | { name: string; type: 'numeric'; min?: number; max?: number }
  | { name: string; type: 'category'; values: string[] };

export interface ContextSpec {
  features: FeatureSpec[];
  dimension: number;
}

/**
 * The dimension a spec's features produce (bias included).
 * @example
 * specDimension({ features: [{ name: 'device', type: 'category', values: ['mobile', 'desktop'] }], dimension: 3 }); // 3
 */
export function specDimension(spec: Pick<ContextSpec, 'features'>): number {
  return spec.features.reduce((n, f) => n + (f.type === 'numeric' ? 1 : f.values.length), 1);
}
