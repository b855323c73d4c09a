import type { Event } from '@sluice/protocol';
import { applyFieldTransforms } from '@sluice/consent';
import { FULL_CONSENT, type RequestFacts } from '../destinations/destination.ts';
import { destinationFor } from '../destinations/registry.ts';
import type { Env } from '../env.ts';
import type { SiteConfig } from '../site-config/site-config.ts';
import { chunk } from '../delivery/group-messages.ts';
import type { ConsentedDeliveryMessage } from '../consent/consented-delivery.ts';
import type { ConsentPlanner } from '../consent/consent-planner.ts';
import { writeAudit, type AuditRow } from '../consent/write-audit.ts';

/** Queues.sendBatch takes at most 100 messages per call (Cloudflare Queues limits). */
export const QUEUE_SEND_BATCH_MAX = 100;

/**
 * Maps each event to each destination's shape (hashing here, in memory) and queues the results.
 * Under a consent policy (`planner`): denied destinations get nothing, the rest get the event
 * minimized per policy and their `DeliveryConsent`; every decision goes to the audit trail
 * before anything is queued, and each message carries its receipt.
 */
export async function enqueueDeliveries(
  env: Env,
  site: SiteConfig,
  events: Event[],
  facts: RequestFacts,
  planner: ConsentPlanner | null = null,
): Promise<number> {
  const messages: ConsentedDeliveryMessage[] = [];
  const audit: AuditRow[] = [];
  for (const [destinationKey, config] of Object.entries(site.destinations)) {
    const destination = destinationFor(config);
    for (const event of events) {
      if (!planner) {
        const item = await destination.toItem(event, facts, config, FULL_CONSENT);
        if (item !== null) messages.push({ siteId: site.id, destinationKey, eventId: event.eventId, item });
        continue;
      }
      const verdict = planner.verdict(event, destinationKey);
      audit.push({ siteId: site.id, eventId: event.eventId, receipt: verdict.receipt });
      if (verdict.decision === 'deny') continue;
      const minimized = await applyFieldTransforms(event, facts.ip, verdict.transforms);
      const consent = { mode: verdict.mode, adUserData: verdict.adUserData, adPersonalization: verdict.adPersonalization };
      const item = await destination.toItem(minimized.event, { ...facts, ip: minimized.ip }, config, consent);
      if (item !== null) messages.push({ siteId: site.id, destinationKey, eventId: event.eventId, item, receipt: verdict.receipt });
    }
  }
  if (planner && audit.length > 0) await writeAudit(env.DB, audit, planner.live.policy.retention.auditLog, facts.receivedAt);
  for (const part of chunk(messages, QUEUE_SEND_BATCH_MAX)) {
    await env.DELIVERY.sendBatch(part.map((body) => ({ body, contentType: 'json' as const })));
  }
  return messages.length;
}
