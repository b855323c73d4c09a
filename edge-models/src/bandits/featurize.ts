import { specDimension, type ContextSpec } from './context-spec.ts';

export type FeaturizeResult = { ok: true; x: number[] } | { ok: false; error: string };

/**
 * Turns a context into the declared feature vector: `[1, numerics…, one-hot blocks…]`.
 * Numeric features with `min`/`max` are scaled to [0, 1] and clamped; a missing numeric is 0;
 * an unknown or missing category leaves its block all zero (the bias carries it). Keys the
 * spec does not name are ignored, so they are never stored. An array is taken as an already
 * featurized vector and must have the declared dimension.
 * @example
 * const spec = { features: [{ name: 'device', type: 'category', values: ['mobile', 'desktop'] }], dimension: 3 } as const;
 * featurize(spec, { device: 'desktop' }); // { ok: true, x: [1, 0, 1] }
 */
export function featurize(spec: ContextSpec, context: unknown): FeaturizeResult {
  if (specDimension(spec) !== spec.dimension) return { ok: false, error: `spec declares dimension ${spec.dimension} but its features make ${specDimension(spec)}` };
  if (Array.isArray(context)) {
    if (context.length !== spec.dimension) return { ok: false, error: `context vector has ${context.length} entries, the experiment declares ${spec.dimension}` };
    if (!context.every((v) => typeof v === 'number' && Number.isFinite(v))) return { ok: false, error: 'context vector entries must be finite numbers' };
    return { ok: true, x: context.slice() };
  }
  if (context !== undefined && context !== null && typeof context !== 'object') return { ok: false, error: 'context must be an object or an array of numbers' };
  const values = (context ?? {}) as Record<string, unknown>;
  const x: number[] = [1];
  for (const feature of spec.features) {
    const value = values[feature.name];
    if (feature.type === 'numeric') {
      if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value))) return { ok: false, error: `${feature.name} must be a finite number` };
      x.push(scale(value ?? 0, feature.min, feature.max));
    } else {
      if (value !== undefined && typeof value !== 'string') return { ok: false, error: `${feature.name} must be a string` };
      for (const category of feature.values) x.push(value === category ? 1 : 0);
    }
  }
  return { ok: true, x };
}

function scale(value: number, min: number | undefined, max: number | undefined): number {
  if (min === undefined || max === undefined || max <= min) return value;
  return Math.min(1, Math.max(0, (value - min) / (max - min)));
}
