import type { Env } from '../../env.ts';
import { alignSeries, type TimeWindow } from '../time-window.ts';

/** Outcomes the delivery chart shows, in the delivery log's words and the console's. */
export const DELIVERY_OUTCOMES = [
  ['delivered', 'delivered'],
  ['retried', 'retrying'],
  ['dead_lettered', 'dead-lettered'],
  ['dropped_consent', 'dropped by consent'],
  ['expired', 'expired'],
] as const;

/** Per destination, outcome counts per bucket of the window (from `delivery_log`). */
export async function deliverySeries(env: Env, siteId: string, window: TimeWindow): Promise<Record<string, Record<string, number[]>>> {
  const { results } = await env.DB.prepare(
    'SELECT destination, outcome, (created_at / CAST(? AS INTEGER)) * CAST(? AS INTEGER) AS bucket, COUNT(*) AS n FROM delivery_log WHERE site_id = ? AND created_at >= ? GROUP BY destination, outcome, bucket',
  )
    .bind(window.bucketMs, window.bucketMs, siteId, window.since)
    .all<{ destination: string; outcome: string; bucket: number; n: number }>();
  const byDestination = new Map<string, Array<{ bucket: number; key: string; n: number }>>();
  for (const r of results) {
    const rows = byDestination.get(r.destination) ?? [];
    rows.push({ bucket: r.bucket, key: r.outcome, n: r.n });
    byDestination.set(r.destination, rows);
  }
  const keys = DELIVERY_OUTCOMES.map(([k]) => k);
  return Object.fromEntries([...byDestination].map(([d, rows]) => [d, alignSeries(window, rows, keys)]));
}

export interface LatencySummary {
  delivered: number;
  p50Ms: number | null;
  p95Ms: number | null;
}

/**
 * Delivery latency per destination in the window: from the consent decision at ingest
 * (`consent_audit.created_at`) to the 2xx (`delivery_log`), for events under a consent policy.
 */
export async function deliveryLatency(env: Env, siteId: string, since: number): Promise<Record<string, LatencySummary>> {
  const { results } = await env.DB.prepare(
    `SELECT d.destination AS destination, MAX(0, d.created_at - a.created_at) AS ms
       FROM delivery_log d
       JOIN consent_audit a ON a.site_id = d.site_id AND a.event_id = d.event_id AND a.destination = d.destination
      WHERE d.site_id = ? AND d.outcome = 'delivered' AND d.created_at >= ?
      ORDER BY destination, ms LIMIT 50000`,
  )
    .bind(siteId, since)
    .all<{ destination: string; ms: number }>();
  const out: Record<string, LatencySummary> = {};
  const grouped = new Map<string, number[]>();
  for (const r of results) grouped.set(r.destination, [...(grouped.get(r.destination) ?? []), r.ms]);
  for (const [destination, values] of grouped) {
    const at = (q: number) => values[Math.min(values.length - 1, Math.ceil(q * values.length) - 1)] ?? null;
    out[destination] = { delivered: values.length, p50Ms: at(0.5), p95Ms: at(0.95) };
  }
  return out;
}
