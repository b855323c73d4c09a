import type { DeliveryBatchItem, DeliveryBatchMessage } from './delivery-message.ts';

/** Cloudflare Queues: a message is at most 128 KB, decimal (128,000 bytes: what miniflare and the platform enforce). */
export const QUEUE_MESSAGE_MAX_BYTES = 128_000;
const NON_ASCII = /[^\u0000-\u007f]/;

/**
 * The JSON text of each message `packBatchMessages` built in one piece (the common case): sizing
 * it needed the serialization anyway, so the queue is sent this text instead of serializing the
 * object a second time (`enqueueMessages`; the consumer reads either form, `queuedDelivery`), and
 * `sendBatchParts` sizes a call from it without serializing again.
 */
export const packedTexts = new WeakMap<object, string>();

/** Room left for the envelope (ids, keys, JSON punctuation) and the queue's own encoding. */
const ENVELOPE_RESERVE_BYTES = 2 * 1024;

/**
 * The items of one destination as few messages as fit under the queue's message size limit
 * (normally one). An item too large to share is sent alone (items are bounded far below the limit
 * by the batch and field size limits).
 * `traceparent` (the ingest request's, 55 bytes, inside the envelope reserve) goes on every message, and so
 * do a receipt hash and expiry that all items share (taken off the items; `itemMessage` puts them back).
 * @example packBatchMessages('site', 'meta', items) // [{ siteId: 'site', destinationKey: 'meta', items }]
 */
export function packBatchMessages(siteId: string, destinationKey: string, items: DeliveryBatchItem[], maxBytes = QUEUE_MESSAGE_MAX_BYTES, traceparent?: string): DeliveryBatchMessage[] {
  const budget = maxBytes - ENVELOPE_RESERVE_BYTES;
  if (items.length === 0) return [];
  // A receipt hash and expiry shared by every item go on the message once (~100 bytes less per item).
  const shared = sharedFields(items);
  if (shared.receiptHash !== undefined || shared.expiresAt !== undefined) {
    // Built field by field (rest/spread copies were a measurable share of planning, issue 14).
    items = items.map((i) => {
      const out: DeliveryBatchItem = { eventId: i.eventId, item: i.item };
      if (i.receiptHash !== undefined && i.receiptHash !== shared.receiptHash) out.receiptHash = i.receiptHash;
      if (i.expiresAt !== undefined && i.expiresAt !== shared.expiresAt) out.expiresAt = i.expiresAt;
      return out;
    });
  }
  const trace = { ...(traceparent && { traceparent }), ...shared };
  // The common case, all items in one message: one serialization of the whole message, kept as the
  // text the queue is sent (the envelope's fields first, then the items: same JSON as the object's).
  const message: DeliveryBatchMessage = { siteId, destinationKey, ...trace, items };
  const text = JSON.stringify(message);
  // UTF-8 takes at most 3 bytes per UTF-16 unit: a text that fits even so needs no byte count.
  const total = text.length * 3 <= budget ? text.length * 3 : utf8Length(text);
  if (total <= budget) {
    packedTexts.set(message, text);
    return [message];
  }
  const out: DeliveryBatchMessage[] = [];
  let current: DeliveryBatchItem[] = [];
  let size = 0;
  for (const item of items) {
    const bytes = utf8Length(JSON.stringify(item)) + 1;
    if (current.length > 0 && size + bytes > budget) {
      out.push({ siteId, destinationKey, items: current, ...trace });
      current = [];
      size = 0;
    }
    current.push(item);
    size += bytes;
  }
  if (current.length) out.push({ siteId, destinationKey, items: current, ...trace });
  return out;
}

/** Bytes of a string in UTF-8, without encoding it. */
export function utf8Length(text: string): number {
  // Queue messages are mostly ASCII (hex digests, ids, URLs): one native scan answers those.
  if (!NON_ASCII.test(text)) return text.length;
  let bytes = text.length;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0x80) bytes += code >= 0x800 && (code < 0xd800 || code > 0xdfff) ? 2 : 1;
  }
  return bytes;
}

/** The receipt hash and expiry every item has in common (each only when all items carry the same). */
function sharedFields(items: DeliveryBatchItem[]): { receiptHash?: string; expiresAt?: number } {
  const first = items[0]!;
  const out: { receiptHash?: string; expiresAt?: number } = {};
  if (first.receiptHash !== undefined && items.every((i) => i.receiptHash === first.receiptHash)) out.receiptHash = first.receiptHash;
  if (first.expiresAt !== undefined && items.every((i) => i.expiresAt === first.expiresAt)) out.expiresAt = first.expiresAt;
  return out;
}
