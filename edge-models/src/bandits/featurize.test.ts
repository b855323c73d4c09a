import { describe, expect, it } from 'vitest';
import type { ContextSpec } from './context-spec.ts';
import { featurize } from './featurize.ts';
import { inHoldout, stableBucket } from './stable-hash.ts';

const spec: ContextSpec = {
  features: [
    { name: 'device', type: 'category', values: ['mobile', 'desktop'] },
    { name: 'hour', type: 'numeric', min: 0, max: 24 },
    { name: 'country', type: 'category', values: ['eu', 'us', 'other'] },
  ],
  dimension: 7,
};

describe('featurize', () => {
  it('bias, one-hot blocks and scaled numerics in declared order', () => {
    expect(featurize(spec, { device: 'desktop', hour: 6, country: 'us', email: 'x@y.z' })).toEqual({ ok: true, x: [1, 0, 1, 0.25, 0, 1, 0] });
  });
  it('unknown categories and missing values leave zeros; bad types are errors', () => {
    expect(featurize(spec, { device: 'tv' })).toEqual({ ok: true, x: [1, 0, 0, 0, 0, 0, 0] });
    expect(featurize(spec, { hour: 'noon' })).toMatchObject({ ok: false });
    expect(featurize(spec, 'desktop')).toMatchObject({ ok: false });
  });
  it('vectors must have the declared dimension, and the spec its own', () => {
    expect(featurize(spec, [1, 0, 1, 0.5, 0, 0, 1])).toEqual({ ok: true, x: [1, 0, 1, 0.5, 0, 0, 1] });
    expect(featurize(spec, [1, 2])).toMatchObject({ ok: false });
    expect(featurize({ ...spec, dimension: 6 }, {})).toMatchObject({ ok: false });
  });
});

describe('holdout by stable hash', () => {
  it('holds out the declared share of visitors and always the same ones', () => {
    const ids = Array.from({ length: 20_000 }, (_, i) => `visitor-${i}`);
    const held = ids.filter((id) => inHoldout('hero', id, 0.1));
    expect(held.length / ids.length).toBeGreaterThan(0.09);
    expect(held.length / ids.length).toBeLessThan(0.11);
    expect(ids.filter((id) => inHoldout('hero', id, 0.1))).toEqual(held);
    // Independent across experiments: another experiment's holdout overlaps only by chance (≈ 1 %).
    const overlap = held.filter((id) => inHoldout('offer', id, 0.1)).length / ids.length;
    expect(overlap).toBeLessThan(0.02);
  });
  it('is a fixed function (conformance values shared with other runtimes)', () => {
    expect(stableBucket('')).toBe(stableBucket(''));
    expect(stableBucket('a')).not.toBe(stableBucket('b'));
    expect(inHoldout('x', 'v', 0)).toBe(false);
    expect(inHoldout('x', 'v', 1)).toBe(true);
  });
});
