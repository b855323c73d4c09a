import type { Env } from '../env.ts';
import type { FamilyText, Sample } from './prometheus-text.ts';
import { LATENCY_BUCKETS_SECONDS, storedSamples } from './metric-counters.ts';

/** A metric family `/metrics` exposes: its metadata and how to read its samples at scrape time. */
export interface MetricFamily extends Omit<FamilyText, 'samples'> {
  collect(env: Env): Promise<Sample[]>;
}

/** A family whose samples live in `metric_counters` (recorded with `addToCounters` / `histogramObservation`). */
export function storedFamily(name: string, help: string, type: FamilyText['type']): MetricFamily {
  return { name, help, type, collect: (env) => storedSamples(env.DB, name) };
}

/** Delivery latency: from the consent decision at ingest (consent_audit) to the vendor's 2xx (delivery_log). */
async function deliveryLatency(env: Env): Promise<Sample[]> {
  const buckets = LATENCY_BUCKETS_SECONDS.map((le, i) => `SUM(CASE WHEN lat <= ${le} THEN 1 ELSE 0 END) AS b${i}`).join(', ');
  const { results } = await env.DB.prepare(
    `SELECT site_id, destination, COUNT(*) AS n, SUM(lat) AS total, ${buckets}
       FROM (SELECT d.site_id, d.destination, MAX(0, d.created_at - a.created_at) / 1000.0 AS lat
               FROM delivery_log d
               JOIN consent_audit a ON a.site_id = d.site_id AND a.event_id = d.event_id AND a.destination = d.destination
              WHERE d.outcome = 'delivered')
      GROUP BY site_id, destination`,
  ).all<Record<string, number | string>>();
  return results.flatMap((r) => {
    const labels = { site: String(r.site_id), destination: String(r.destination) };
    return [
      ...LATENCY_BUCKETS_SECONDS.map((le, i) => ({ suffix: '_bucket' as const, labels: { ...labels, le: String(le) }, value: Number(r[`b${i}`]) })),
      { suffix: '_bucket' as const, labels: { ...labels, le: '+Inf' }, value: Number(r.n) },
      { suffix: '_sum' as const, labels, value: Number(r.total) },
      { suffix: '_count' as const, labels, value: Number(r.n) },
    ];
  });
}

/**
 * Every family `/metrics` exposes. Counters are read from D1 (the delivery log, the consent audit
 * trail and `metric_counters`), never from isolate memory, so every isolate reports the same
 * numbers. Counts derived from logs cover their retention window: pruning shows as a counter reset.
 * A capability adds its family here (one entry) and records into it with `addToCounters`.
 */
export const METRIC_FAMILIES: MetricFamily[] = [
  storedFamily('sluice_events_total', 'Events received by POST /v1/batch, by site, outcome (accepted, duplicate, rejected) and error code.', 'counter'),
  storedFamily('sluice_batches_rejected_total', 'Whole batches refused before any event was read, by HTTP status and error code.', 'counter'),
  {
    name: 'sluice_deliveries_total',
    help: 'Delivery outcomes per site, destination and outcome (delivered, retried, dead_lettered, dropped_consent, duplicate, replayed, expired).',
    type: 'counter',
    async collect(env) {
      const { results } = await env.DB.prepare('SELECT site_id, destination, outcome, COUNT(*) AS n FROM delivery_log GROUP BY site_id, destination, outcome ORDER BY 1, 2, 3').all<{
        site_id: string;
        destination: string;
        outcome: string;
        n: number;
      }>();
      return results.map((r) => ({ labels: { site: r.site_id, destination: r.destination, outcome: r.outcome }, value: r.n }));
    },
  },
  { name: 'sluice_delivery_latency_seconds', help: 'Seconds from acceptance at ingest (consent decision) to delivery, per site and destination; events under a consent policy.', type: 'histogram', collect: deliveryLatency },
  {
    name: 'sluice_delivery_retrying',
    help: 'Events whose latest delivery outcome is a retry: waiting on the queue for another attempt, per site and destination.',
    type: 'gauge',
    async collect(env) {
      const { results } = await env.DB.prepare(
        `SELECT site_id, destination, COUNT(*) AS n FROM (
           SELECT site_id, destination, outcome, MAX(id) FROM delivery_log GROUP BY site_id, destination, event_id
         ) WHERE outcome = 'retried' GROUP BY site_id, destination ORDER BY 1, 2`,
      ).all<{ site_id: string; destination: string; n: number }>();
      return results.map((r) => ({ labels: { site: r.site_id, destination: r.destination }, value: r.n }));
    },
  },
  {
    name: 'sluice_dead_letters_open',
    help: 'Dead letters not replayed yet, per site and destination.',
    type: 'gauge',
    async collect(env) {
      const { results } = await env.DB.prepare('SELECT site_id, destination, COUNT(*) AS n FROM dead_letters WHERE replayed_at IS NULL GROUP BY site_id, destination ORDER BY 1, 2').all<{
        site_id: string;
        destination: string;
        n: number;
      }>();
      return results.map((r) => ({ labels: { site: r.site_id, destination: r.destination }, value: r.n }));
    },
  },
  {
    name: 'sluice_consent_decisions_total',
    help: 'Consent decisions (allow, limited, deny) per site, destination and jurisdiction, from the audit trail.',
    type: 'counter',
    async collect(env) {
      const { results } = await env.DB.prepare(
        'SELECT site_id, destination, decision, jurisdiction, COUNT(*) AS n FROM consent_audit GROUP BY site_id, destination, decision, jurisdiction ORDER BY 1, 2, 3, 4',
      ).all<{ site_id: string; destination: string; decision: string; jurisdiction: string; n: number }>();
      return results.map((r) => ({ labels: { site: r.site_id, destination: r.destination, decision: r.decision, jurisdiction: r.jurisdiction }, value: r.n }));
    },
  },
  // Recorded by the capabilities that own them (edge decisions, privacy reports) with `addToCounters`;
  // exposed with HELP and TYPE from the start so dashboards and alerts can be written against them.
  storedFamily('sluice_decide_latency_seconds', 'Seconds POST /v1/decide took to pick an arm, per site and slot (recorded by the decide capability).', 'histogram'),
  storedFamily('sluice_privacy_budget_spent_total', 'Privacy budget (epsilon) charged by released reports, per site (recorded by the reports capability).', 'counter'),
];
