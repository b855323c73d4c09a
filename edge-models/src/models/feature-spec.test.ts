import { describe, expect, it } from 'vitest';
import { FEATURE_SPEC, featuresFromCounts } from './feature-spec.ts';
import { emptyFeatures, featureValues, observe } from '../../../sdk/src/rank/feature-state.ts';

describe('feature spec', () => {
  it('the SDK computes every model input by name, the same way training does from the same counts', () => {
    const s = emptyFeatures();
    for (const [item_id, category] of [['a', 'x'], ['a', 'x'], ['b', 'x'], ['c', 'y']]) observe(s, { type: 'track', properties: { item_id, category } }, 1000);
    const device = featureValues(s, { id: 'a', category: 'x' }, 1001);
    const training = featuresFromCounts({ item: 2, category: 3, total: 4 });
    expect(FEATURE_SPEC.map((c) => device[c.name])).toEqual(Array.from(training));
  });
});
