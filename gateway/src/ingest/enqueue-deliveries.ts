import type { Event } from '@sluice/protocol';
import { FULL_CONSENT, type RequestFacts } from '../destinations/destination.ts';
import { destinationFor } from '../destinations/registry.ts';
import type { DeliveryMessage } from '../delivery/delivery-message.ts';
import type { Env } from '../env.ts';
import type { DestinationConfig, SiteConfig } from '../site-config/site-config.ts';
import { enqueueMessages, QUEUE_SEND_BATCH_MAX } from '../delivery/queue-for.ts';

export { QUEUE_SEND_BATCH_MAX };

/** Maps each event to each destination's shape (hashing here, in memory) and queues the results. */
export async function enqueueDeliveries(env: Env, site: SiteConfig, events: Event[], facts: RequestFacts): Promise<number> {
  const messages: Array<{ type: DestinationConfig['type']; body: DeliveryMessage }> = [];
  for (const [destinationKey, config] of Object.entries(site.destinations)) {
    const destination = destinationFor(config);
    for (const event of events) {
      const item = await destination.toItem(event, facts, config, FULL_CONSENT);
      if (item !== null) messages.push({ type: config.type, body: { siteId: site.id, destinationKey, eventId: event.eventId, item } });
    }
  }
  // One queue per destination type (delivery/queue-for.ts).
  await enqueueMessages(env, messages);
  return messages.length;
}
