import type { Event } from '@sluice/protocol';
import { FULL_CONSENT, type RequestFacts } from '../destinations/destination.ts';
import { destinationFor } from '../destinations/registry.ts';
import type { DeliveryMessage } from '../delivery/delivery-message.ts';
import type { Env } from '../env.ts';
import type { SiteConfig } from '../site-config/site-config.ts';
import { chunk } from '../delivery/group-messages.ts';

/** Queues.sendBatch takes at most 100 messages per call (Cloudflare Queues limits). */
export const QUEUE_SEND_BATCH_MAX = 100;

/** Maps each event to each destination's shape (hashing here, in memory) and queues the results. */
export async function enqueueDeliveries(env: Env, site: SiteConfig, events: Event[], facts: RequestFacts): Promise<number> {
  const messages: DeliveryMessage[] = [];
  for (const [destinationKey, config] of Object.entries(site.destinations)) {
    const destination = destinationFor(config);
    for (const event of events) {
      const item = await destination.toItem(event, facts, config, FULL_CONSENT);
      if (item !== null) messages.push({ siteId: site.id, destinationKey, eventId: event.eventId, item });
    }
  }
  for (const part of chunk(messages, QUEUE_SEND_BATCH_MAX)) {
    await env.DELIVERY.sendBatch(part.map((body) => ({ body, contentType: 'json' as const })));
  }
  return messages.length;
}
