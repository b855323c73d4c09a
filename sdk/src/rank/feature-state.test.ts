import { describe, expect, it } from 'vitest';
import { emptyFeatures, expire, featureMatrix, featureValues, observe, FEATURE_SESSION_MS, MAX_FEATURE_ITEMS } from './feature-state.ts';

const DAY = 86_400_000;
const view = (item_id: string, category?: string) => ({ type: 'track' as const, properties: { item_id, ...(category ? { category } : {}) } });

describe('on-device feature state', () => {
  it('counts per item, per category and in total, as the model was trained (log1p)', () => {
    const s = emptyFeatures();
    const t = 1_000_000;
    observe(s, view('a', 'shoes'), t);
    observe(s, view('a', 'shoes'), t + 1);
    observe(s, view('b', 'shoes'), t + 2);
    observe(s, { type: 'track', properties: { product_id: 7, category: 'hats' } }, t + 3);
    const v = featureValues(s, { id: 'a', category: 'shoes' }, t + 4);
    expect(v).toMatchObject({ item_affinity: Math.log1p(2), item_seen: 1, category_affinity: Math.log1p(3), total_activity: Math.log1p(4), position_2: 0, position_3: 0 });
    expect(featureValues(s, { id: 'zzz' }, t + 4)).toMatchObject({ item_affinity: 0, item_seen: 0, category_affinity: 0 });
  });

  it('featureMatrix fills every candidate\'s row with exactly featureValues\' numbers, in the columns asked for', () => {
    const s = emptyFeatures();
    const t = 5 * DAY;
    observe(s, { type: 'page', properties: {} }, t);
    for (const [id, c, at] of [['a', 'shoes', 0], ['a', 'shoes', 1], ['b', 'hats', 2], ['c', 'shoes', 3], ['a', undefined, 4]] as const) observe(s, view(id, c), t + at * 1000);
    const candidates = [{ id: 'a', category: 'shoes' }, { id: 'zzz' }, { id: 'b', category: 'hats' }, { id: 'c', category: 'nope' }];
    const columns = ['total_activity', 'item_affinity', 'position_3', 'item_seen', 'session_depth', 'category_affinity', 'item_recency_days', 'position_2'];
    const now = t + 60_000;
    const m = featureMatrix(s, candidates, columns, now)!;
    const expected = candidates.flatMap((c) => { const v = featureValues(s, c, now); return columns.map((name) => Math.fround(v[name]!)); });
    expect(Array.from(m)).toEqual(expected);
    expect(new Set(expected).size).toBeGreaterThan(5);
    const reused = new Float32Array(candidates.length * columns.length);
    expect(featureMatrix(s, candidates, columns, now, reused)).toBe(reused);
    expect(featureMatrix(s, candidates, ['item_affinity', 'favourite_colour'], now)).toBeUndefined();
  });

  it('tracks session depth from page views and restarts it after 30 minutes idle', () => {
    const s = emptyFeatures();
    observe(s, { type: 'page', properties: {} }, 10);
    observe(s, { type: 'page', properties: {} }, 20);
    expect(featureValues(s, { id: 'x' }, 30).session_depth).toBe(2);
    observe(s, { type: 'page', properties: {} }, 20 + FEATURE_SESSION_MS + 1);
    expect(featureValues(s, { id: 'x' }, 20 + FEATURE_SESSION_MS + 2).session_depth).toBe(1);
  });

  it('forgets counts older than the TTL and keeps at most MAX_FEATURE_ITEMS items', () => {
    const s = emptyFeatures();
    observe(s, view('old', 'c'), 0);
    observe(s, view('new', 'c'), 20 * DAY);
    expire(s, 31 * DAY, 30);
    expect(Object.keys(s.items)).toEqual(['new']);
    expect(s.categories.c!.n).toBe(2); // the category was used within the TTL
    expire(s, 60 * DAY, 30);
    expect(s.items).toEqual({});
    expect(s.categories).toEqual({});
    for (let i = 0; i < MAX_FEATURE_ITEMS + 10; i++) observe(s, view(`i${i}`), 100 * DAY + i);
    expect(Object.keys(s.items)).toHaveLength(MAX_FEATURE_ITEMS);
    expect(s.items.i0).toBeUndefined();
  });
});
