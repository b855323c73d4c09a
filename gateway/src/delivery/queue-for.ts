import type { Env } from '../env.ts';
import type { DestinationConfig } from '../site-config/site-config.ts';
import type { QueuedBody, QueuedDelivery } from './delivery-message.ts';
import { packedTexts, utf8Length } from './pack-batch-messages.ts';

/** Queues.sendBatch takes at most 100 messages per call (Cloudflare Queues limits). */
export const QUEUE_SEND_BATCH_MAX = 100;
/** …and at most 256 KB, decimal (256,000 bytes), in total per call. */
export const QUEUE_SEND_BATCH_MAX_BYTES = 256_000;

/** The delivery queue of a destination type (wrangler.toml): one per vendor so one vendor's backlog never delays another. */
export function queueFor(env: Env, type: DestinationConfig['type']): Queue<QueuedBody> {
  const queues: Record<DestinationConfig['type'], Queue<QueuedBody> | undefined> = {
    meta: env.DELIVERY_META,
    ga4: env.DELIVERY_GA4,
    google_ads: env.DELIVERY_GOOGLE_ADS,
    tiktok: env.DELIVERY_TIKTOK,
    warehouse: env.DELIVERY_WAREHOUSE,
  };
  return queues[type] ?? env.DELIVERY;
}

/**
 * Sends messages to their destination type's queue: one `sendBatch` per queue unless the
 * per-call limits (100 messages, 256 KB) force more. Queues are written in parallel.
 */
export async function enqueueMessages(
  env: Env,
  messages: Array<{ type: DestinationConfig['type']; body: QueuedDelivery }>,
  options: { delaySeconds?: number } = {},
): Promise<void> {
  const byQueue = new Map<Queue<QueuedBody>, QueuedDelivery[]>();
  for (const { type, body } of messages) {
    const queue = queueFor(env, type);
    const list = byQueue.get(queue);
    if (list) list.push(body);
    else byQueue.set(queue, [body]);
  }
  await Promise.all(
    [...byQueue].map(async ([queue, bodies]) => {
      for (const part of sendBatchParts(bodies)) {
        await queue.sendBatch(part.map((body) => queueMessage(body, options)));
      }
    }),
  );
}

/** A body as `sendBatch` takes it: the text `packBatchMessages` built when there is one, else the object as JSON. */
function queueMessage(body: QueuedDelivery, options: { delaySeconds?: number }): MessageSendRequest<QueuedBody> {
  const text = packedTexts.get(body);
  if (text !== undefined) return { body: text, contentType: 'text', ...options };
  return { body, contentType: 'json', ...options };
}

/** Splits bodies into `sendBatch` calls within the per-call message count and byte limits. */
export function sendBatchParts(bodies: QueuedDelivery[]): QueuedDelivery[][] {
  const parts: QueuedDelivery[][] = [];
  let current: QueuedDelivery[] = [];
  let size = 0;
  for (const body of bodies) {
    const bytes = bodies.length === 1 ? 0 : utf8Length(packedTexts.get(body) ?? JSON.stringify(body));
    if (current.length > 0 && (current.length === QUEUE_SEND_BATCH_MAX || size + bytes > QUEUE_SEND_BATCH_MAX_BYTES)) {
      parts.push(current);
      current = [];
      size = 0;
    }
    current.push(body);
    size += bytes;
  }
  if (current.length) parts.push(current);
  return parts;
}
