import type { Env } from '../env.ts';
import type { DestinationConfig } from '../site-config/site-config.ts';
import type { DeliveryMessage } from './delivery-message.ts';
import { chunk } from './group-messages.ts';

/** Queues.sendBatch takes at most 100 messages per call (Cloudflare Queues limits). */
export const QUEUE_SEND_BATCH_MAX = 100;

/** The delivery queue of a destination type (wrangler.toml): one per vendor so one vendor's backlog never delays another. */
export function queueFor(env: Env, type: DestinationConfig['type']): Queue<DeliveryMessage> {
  const queues: Record<DestinationConfig['type'], Queue<DeliveryMessage> | undefined> = {
    meta: env.DELIVERY_META,
    ga4: env.DELIVERY_GA4,
    google_ads: env.DELIVERY_GOOGLE_ADS,
    tiktok: env.DELIVERY_TIKTOK,
    warehouse: env.DELIVERY_WAREHOUSE,
  };
  return queues[type] ?? env.DELIVERY;
}

/** Sends messages to their destination type's queue, at most 100 per call. */
export async function enqueueMessages(env: Env, messages: Array<{ type: DestinationConfig['type']; body: DeliveryMessage }>): Promise<void> {
  const byQueue = new Map<Queue<DeliveryMessage>, DeliveryMessage[]>();
  for (const { type, body } of messages) {
    const queue = queueFor(env, type);
    const list = byQueue.get(queue);
    if (list) list.push(body);
    else byQueue.set(queue, [body]);
  }
  for (const [queue, bodies] of byQueue) {
    for (const part of chunk(bodies, QUEUE_SEND_BATCH_MAX)) {
      await queue.sendBatch(part.map((body) => ({ body, contentType: 'json' as const })));
    }
  }
}
