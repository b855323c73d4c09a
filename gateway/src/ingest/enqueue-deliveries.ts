import type { Event } from '@sluice/protocol';
import { applyFieldTransforms, durationMs } from '@sluice/consent';
import { FULL_CONSENT, type RequestFacts } from '../destinations/destination.ts';
import { destinationFor } from '../destinations/registry.ts';
import type { Env } from '../env.ts';
import type { DestinationConfig, SiteConfig } from '../site-config/site-config.ts';
import { enqueueMessages, QUEUE_SEND_BATCH_MAX } from '../delivery/queue-for.ts';
import { recordConsentDrops } from '../delivery/delivery-log.ts';
import type { ConsentedDeliveryMessage } from '../consent/consented-delivery.ts';
import type { ConsentPlanner } from '../consent/consent-planner.ts';
import { writeAudit, type AuditRow } from '../consent/write-audit.ts';
import { storage } from './storage-unavailable.ts';

export { QUEUE_SEND_BATCH_MAX };

/**
 * Maps each event to each destination's shape (hashing here, in memory) and queues the results,
 * one queue per destination type (delivery/queue-for.ts).
 * Under a consent policy (`planner`): denied destinations get nothing (and the drop is counted in
 * the destination's status), the rest get the event minimized per policy and their
 * `DeliveryConsent`; every decision goes to the audit trail before anything is queued, and each
 * message carries its receipt.
 */
export async function enqueueDeliveries(
  env: Env,
  site: SiteConfig,
  events: Event[],
  facts: RequestFacts,
  planner: ConsentPlanner | null = null,
): Promise<number> {
  const messages: Array<{ type: DestinationConfig['type']; body: ConsentedDeliveryMessage }> = [];
  const audit: AuditRow[] = [];
  const dropped = new Map<string, string[]>();
  const ttl = planner ? durationMs(planner.live.policy.retention.deliveryQueue) : undefined;
  const expiry = ttl === undefined ? {} : { expiresAt: facts.receivedAt + ttl };
  for (const [destinationKey, config] of Object.entries(site.destinations)) {
    const destination = destinationFor(config);
    for (const event of events) {
      const base = { siteId: site.id, destinationKey, eventId: event.eventId };
      if (!planner) {
        const item = await destination.toItem(event, facts, config, FULL_CONSENT);
        if (item !== null) messages.push({ type: config.type, body: { ...base, item } });
        continue;
      }
      const verdict = planner.verdict(event, destinationKey);
      audit.push({ siteId: site.id, eventId: event.eventId, receipt: verdict.receipt });
      if (verdict.decision === 'deny') {
        const ids = dropped.get(destinationKey);
        if (ids) ids.push(event.eventId);
        else dropped.set(destinationKey, [event.eventId]);
        continue;
      }
      const minimized = await applyFieldTransforms(event, facts.ip, verdict.transforms);
      const consent = { mode: verdict.mode, adUserData: verdict.adUserData, adPersonalization: verdict.adPersonalization };
      const item = await destination.toItem(minimized.event, { ...facts, ip: minimized.ip }, config, consent);
      if (item !== null) messages.push({ type: config.type, body: { ...base, item, receipt: verdict.receipt, ...expiry } });
    }
  }
  if (planner && audit.length > 0) await storage('d1', () => writeAudit(env.DB, audit, planner.live.policy.retention.auditLog, facts.receivedAt));
  await storage('d1', () => Promise.all([...dropped].map(([key, ids]) => recordConsentDrops(env, site.id, key, ids))));
  await storage('queue', () => enqueueMessages(env, messages));
  return messages.length;
}
