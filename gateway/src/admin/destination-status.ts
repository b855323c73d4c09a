import type { Env } from '../env.ts';
import type { SiteConfig } from '../site-config/site-config.ts';

/** Last errors shown per destination. */
export const STATUS_LAST_ERRORS = 5;

/** Delivery counts of one destination since the log began. */
export interface DestinationStatus {
  type: string;
  delivered: number;
  retried: number;
  deadLettered: number;
  droppedByConsent: number;
  /** Events sent without their phone number because it is not a valid number of any region (`invalid_phone`). */
  invalidPhone: number;
  /** Events consent allowed here that the sender's `integrations` switched off (`skipped_integrations`). */
  skippedByIntegrations: number;
  duplicates: number;
  replayed: number;
  openDeadLetters: number;
  lastErrors: Array<{ at: string; outcome: string; eventId: string; reason: string }>;
}

const COUNTED = { delivered: 'delivered', retried: 'retried', deadLettered: 'dead_lettered', droppedByConsent: 'dropped_consent', invalidPhone: 'invalid_phone', skippedByIntegrations: 'skipped_integrations', duplicates: 'duplicate', replayed: 'replayed', expired: 'expired' } as const;

/** Per-destination status of a site: counts by outcome, open dead letters, last errors with vendor reasons. */
export async function destinationStatus(env: Env, site: SiteConfig): Promise<Record<string, DestinationStatus>> {
  const counts = await env.DB.prepare('SELECT destination, outcome, COUNT(*) AS n FROM delivery_log WHERE site_id = ? GROUP BY destination, outcome')
    .bind(site.id)
    .all<{ destination: string; outcome: string; n: number }>();
  const open = await env.DB.prepare('SELECT destination, COUNT(*) AS n FROM dead_letters WHERE site_id = ? AND replayed_at IS NULL GROUP BY destination')
    .bind(site.id)
    .all<{ destination: string; n: number }>();
  const out: Record<string, DestinationStatus> = {};
  for (const [key, config] of Object.entries(site.destinations)) {
    const n = (outcome: string) => counts.results.find((r) => r.destination === key && r.outcome === outcome)?.n ?? 0;
    const errors = await env.DB.prepare(
      "SELECT event_id, outcome, detail, created_at FROM delivery_log WHERE site_id = ? AND destination = ? AND outcome IN ('retried', 'dead_lettered') ORDER BY id DESC LIMIT ?",
    )
      .bind(site.id, key, STATUS_LAST_ERRORS)
      .all<{ event_id: string; outcome: string; detail: string | null; created_at: number }>();
    out[key] = {
      type: config.type,
      ...(Object.fromEntries(Object.entries(COUNTED).map(([name, outcome]) => [name, n(outcome)])) as Record<keyof typeof COUNTED, number>),
      openDeadLetters: open.results.find((r) => r.destination === key)?.n ?? 0,
      lastErrors: errors.results.map((e) => ({ at: new Date(e.created_at).toISOString(), outcome: e.outcome, eventId: e.event_id, reason: e.detail ?? '' })),
    };
  }
  return out;
}
