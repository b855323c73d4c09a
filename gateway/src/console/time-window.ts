/** The look-back windows the console offers, with the bucket each is charted in. */
export const WINDOWS = {
  '1h': { label: 'last hour', ms: 3_600_000, bucketMs: 60_000 },
  '24h': { label: 'last 24 hours', ms: 86_400_000, bucketMs: 3_600_000 },
  '7d': { label: 'last 7 days', ms: 7 * 86_400_000, bucketMs: 6 * 3_600_000 },
} as const;
export type WindowKey = keyof typeof WINDOWS;

export interface TimeWindow {
  key: WindowKey;
  since: number;
  bucketMs: number;
  /** Start of every bucket from the first to the one holding `now`. */
  buckets: number[];
}

/** Reads `?window=` (default 1h) into bucket boundaries ending at `now`. */
export function timeWindow(raw: string | null | undefined, now = Date.now()): TimeWindow {
  const key: WindowKey = raw && raw in WINDOWS ? (raw as WindowKey) : '1h';
  const { ms, bucketMs } = WINDOWS[key];
  const first = Math.floor((now - ms) / bucketMs) * bucketMs + bucketMs;
  const buckets: number[] = [];
  for (let t = first; t <= now; t += bucketMs) buckets.push(t);
  return { key, since: first, bucketMs, buckets };
}

/** Rows `{ bucket, key, n }` as one value array per key, aligned to the window's buckets (missing = 0). */
export function alignSeries(window: TimeWindow, rows: Array<{ bucket: number; key: string; n: number }>, keys: string[]): Record<string, number[]> {
  const index = new Map(window.buckets.map((b, i) => [b, i]));
  const out: Record<string, number[]> = Object.fromEntries(keys.map((k) => [k, window.buckets.map(() => 0)]));
  for (const row of rows) {
    const i = index.get(row.bucket);
    const series = out[row.key];
    if (i !== undefined && series) series[i]! += row.n;
  }
  return out;
}
