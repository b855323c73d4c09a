import { describe, expect, it } from 'vitest';
import { alignSeries, timeWindow } from './time-window.ts';

describe('timeWindow', () => {
  const now = Date.UTC(2026, 11, 2, 1, 30, 15);

  it('an hour in minute buckets, the last one holding now; unknown windows fall back to 1h', () => {
    const w = timeWindow('1h', now);
    expect(w.buckets).toHaveLength(60);
    expect(w.buckets.at(-1)).toBe(Date.UTC(2026, 11, 2, 1, 30));
    expect(w.since).toBe(w.buckets[0]);
    expect(timeWindow('forever', now).key).toBe('1h');
    expect(timeWindow('7d', now).buckets).toHaveLength(28);
  });

  it('aligns rows to buckets, zero where nothing happened, ignoring rows outside the window', () => {
    const w = timeWindow('1h', now);
    const last = w.buckets.at(-1)!;
    const series = alignSeries(w, [{ bucket: last, key: 'a', n: 2 }, { bucket: last, key: 'a', n: 1 }, { bucket: 0, key: 'a', n: 9 }, { bucket: last, key: 'zzz', n: 5 }], ['a', 'b']);
    expect(series.a!.at(-1)).toBe(3);
    expect(series.a!.reduce((s, v) => s + v, 0)).toBe(3);
    expect(series.b!.every((v) => v === 0)).toBe(true);
    expect(Object.keys(series)).toEqual(['a', 'b']);
  });
});
