import type { Sample } from './prometheus-text.ts';

/** One addition to a stored counter (or histogram series). */
export interface CounterIncrement {
  name: string;
  labels: Record<string, string>;
  by: number;
}

/** Canonical label key: sorted entries as JSON, so `{a,b}` and `{b,a}` are one row. */
export function labelKey(labels: Record<string, string>): string {
  return JSON.stringify(Object.fromEntries(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))));
}

/**
 * Adds to counters in D1 (`metric_counters`): one upsert per series, in one batch, so every isolate
 * adds to the same number (module memory would count per isolate and vanish with it).
 *
 * @example await addToCounters(env.DB, [{ name: 'sluice_events_total', labels: { outcome: 'accepted' }, by: 3 }])
 */
export async function addToCounters(db: D1Database, increments: CounterIncrement[], now = Date.now()): Promise<void> {
  const statements = counterStatements(db, increments, now);
  if (statements.length) await db.batch(statements);
}

/**
 * The upserts `addToCounters` runs (one per series, increments to the same series merged), for a
 * caller that sends them in a D1 batch of its own, as ingest does.
 * @example statements.push(...counterStatements(env.DB, [{ name: 'sluice_events_total', labels: { outcome: 'accepted' }, by: 3 }], Date.now()))
 */
export function counterStatements(db: D1Database, increments: CounterIncrement[], now: number): D1PreparedStatement[] {
  const upsert = db.prepare(
    'INSERT INTO metric_counters (name, labels, value, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (name, labels) DO UPDATE SET value = value + excluded.value, updated_at = excluded.updated_at',
  );
  const merged = new Map<string, { inc: CounterIncrement; labels: string }>();
  for (const inc of increments) {
    const labels = labelKey(inc.labels);
    const key = `${inc.name}\u0000${labels}`;
    const seen = merged.get(key);
    merged.set(key, seen ? { inc: { ...seen.inc, by: seen.inc.by + inc.by }, labels } : { inc, labels });
  }
  return [...merged.values()].map(({ inc, labels }) => upsert.bind(inc.name, labels, inc.by, now));
}

/** Default histogram buckets in seconds: sub-second edge work up to a five-minute delivery. */
export const LATENCY_BUCKETS_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300] as const;

/**
 * The counter increments that record one observation into a stored histogram (cumulative
 * `_bucket{le}` series, `_sum`, `_count`). For families like decide latency that their capability
 * records itself: `await addToCounters(db, histogramObservation('sluice_decide_latency_seconds', { site }, 0.004))`.
 */
export function histogramObservation(name: string, labels: Record<string, string>, value: number, buckets: readonly number[] = LATENCY_BUCKETS_SECONDS): CounterIncrement[] {
  return [
    ...buckets.map((le) => ({ name: `${name}_bucket`, labels: { ...labels, le: String(le) }, by: value <= le ? 1 : 0 })),
    { name: `${name}_bucket`, labels: { ...labels, le: '+Inf' }, by: 1 },
    { name: `${name}_sum`, labels, by: value },
    { name: `${name}_count`, labels, by: 1 },
  ];
}

/** Reads the stored series of one family (the name itself and its histogram/counter suffixes) as samples. */
export async function storedSamples(db: D1Database, name: string): Promise<Sample[]> {
  const names = [name, `${name}_bucket`, `${name}_sum`, `${name}_count`];
  const { results } = await db
    .prepare(`SELECT name, labels, value FROM metric_counters WHERE name IN (${names.map(() => '?').join(', ')}) ORDER BY name, labels`)
    .bind(...names)
    .all<{ name: string; labels: string; value: number }>();
  return results.map((r) => ({
    suffix: r.name.slice(name.length) as Sample['suffix'],
    labels: JSON.parse(r.labels) as Record<string, string>,
    value: r.value,
  }));
}
