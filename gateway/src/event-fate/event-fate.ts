import type { ConsentReceipt } from '@sluice/consent';

/** What became of one event at one destination, in words a visitor understands. */
export type Fate = 'queued' | 'delivered' | 'delivered_limited' | 'dropped_by_consent' | 'retrying' | 'dead_lettered' | 'expired' | 'duplicate' | 'skipped_by_sender';

export interface DestinationFate {
  fate: Fate;
  /** The consent decision and its receipt (policy version, jurisdiction, signals summary, deciding rule): no personal data. */
  consent: { decision: string; rule: string; receipt: ConsentReceipt } | null;
  /** Delivery log of this event at this destination, oldest first (vendor reasons for failures). */
  attempts: Array<{ outcome: string; at: string; reason: string | null }>;
}

/**
 * The fate of one event at one destination from its consent decision and delivery log (pure).
 * A denial is final; otherwise the latest delivery outcome decides, and no outcome yet is `queued`.
 *
 * @example fateOf({ decision: 'limited' }, [{ outcome: 'delivered' }]) // 'delivered_limited'
 */
export function fateOf(consent: { decision: string } | null, attempts: Array<{ outcome: string }>): Fate {
  if (consent?.decision === 'deny') return 'dropped_by_consent';
  const last = attempts.at(-1)?.outcome;
  if (attempts.some((a) => a.outcome === 'dropped_consent')) return 'dropped_by_consent';
  // Consent allowed it; the sender's own `integrations` switched this destination off (sources/integrations/).
  if (attempts.some((a) => a.outcome === 'skipped_integrations')) return 'skipped_by_sender';
  switch (last) {
    case 'delivered':
      return consent?.decision === 'limited' ? 'delivered_limited' : 'delivered';
    case 'retried':
      return 'retrying';
    case 'dead_lettered':
      return 'dead_lettered';
    case 'expired':
      return 'expired';
    case 'duplicate':
      return 'duplicate';
    // A replayed dead letter is back on the queue.
    case 'replayed':
    default:
      return 'queued';
  }
}

/** Look-back of the visitor-facing fate route: a page shows what it sent during the visit. */
export const FATE_LOOKBACK_MS = 24 * 3_600_000;

/** Per event id, per destination: consent decision + receipt, delivery attempts and the fate. */
export async function eventFates(db: D1Database, siteId: string, destinations: string[], eventIds: string[], now = Date.now()): Promise<Record<string, Record<string, DestinationFate>>> {
  const since = now - FATE_LOOKBACK_MS;
  const marks = eventIds.map(() => '?').join(', ');
  const [audit, log] = await Promise.all([
    db
      // Receipts are stored once per distinct receipt and referenced by hash (migration 0005).
      .prepare(
        `SELECT a.event_id, a.destination, a.decision, a.rule, r.receipt FROM consent_audit a JOIN consent_receipts r ON r.site_id = a.site_id AND r.hash = a.receipt_hash WHERE a.site_id = ? AND a.event_id IN (${marks}) AND a.created_at >= ?`,
      )
      .bind(siteId, ...eventIds, since)
      .all<{ event_id: string; destination: string; decision: string; rule: string; receipt: string }>(),
    db
      .prepare(`SELECT event_id, destination, outcome, detail, created_at FROM delivery_log WHERE site_id = ? AND event_id IN (${marks}) AND created_at >= ? ORDER BY id`)
      .bind(siteId, ...eventIds, since)
      .all<{ event_id: string; destination: string; outcome: string; detail: string | null; created_at: number }>(),
  ]);
  const out: Record<string, Record<string, DestinationFate>> = {};
  for (const id of eventIds) {
    const seen = audit.results.some((r) => r.event_id === id) || log.results.some((r) => r.event_id === id);
    if (!seen) continue;
    out[id] = {};
    for (const destination of destinations) {
      const a = audit.results.find((r) => r.event_id === id && r.destination === destination);
      const consent = a ? { decision: a.decision, rule: a.rule, receipt: JSON.parse(a.receipt) as ConsentReceipt } : null;
      const attempts = log.results
        .filter((r) => r.event_id === id && r.destination === destination)
        .map((r) => ({ outcome: r.outcome, at: new Date(r.created_at).toISOString(), reason: r.detail }));
      out[id]![destination] = { fate: fateOf(consent, attempts), consent, attempts };
    }
  }
  return out;
}
