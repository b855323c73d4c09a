/**
 * One event bound for one destination, as it sits on the queue. `item` is already in the
 * vendor's shape with personal data hashed: nothing raw is ever written to a queue.
 * Ingest now queues `DeliveryBatchMessage`s; this single-item form is still consumed (messages
 * queued before the change, dead-letter replays) and is what the consumer works with per item.
 */
export interface DeliveryMessage {
  siteId: string;
  /** Key of the destination in the site config (a site may have two Meta pixels). */
  destinationKey: string;
  eventId: string;
  item: unknown;
  /** Epoch ms after which the item must not be delivered (policy `retention.deliveryQueue`). */
  expiresAt?: number;
  /** SHA-256 of the consent receipt this delivery was allowed under (`consent_receipts.hash`). */
  receiptHash?: string;
  /**
   * W3C `traceparent` of the ingest request that queued the item (its trace id and span id), so
   * the vendor POST continues that trace. Absent on old messages and dead-letter replays: a new trace.
   */
  traceparent?: string;
}

/** One item of a batch message. */
export interface DeliveryBatchItem {
  eventId: string;
  item: unknown;
  expiresAt?: number;
  receiptHash?: string;
}

/**
 * The items of one ingest request for one destination, in one queue message (split only where a
 * message would pass the queue's 128 KB limit). Per item, the consumer keeps exactly the
 * guarantees of single-item messages: delivered once, retried with backoff, dead-lettered with a reason.
 */
export interface DeliveryBatchMessage {
  siteId: string;
  destinationKey: string;
  items: DeliveryBatchItem[];
  /**
   * Delivery attempts the items already had before this message was queued: a batch whose items
   * partly succeeded re-queues only the rest, carrying their attempt count (max_retries still holds).
   */
  priorAttempts?: number;
  /** W3C `traceparent` of the ingest request (55 bytes); the consumer's vendor POST is a child span of it. */
  traceparent?: string;
  /**
   * The items' receipt hash and expiry when all items share them (the usual case: one page, one
   * consent state), written once instead of on every item; an item's own value wins.
   */
  receiptHash?: string;
  expiresAt?: number;
}

/**
 * One item of a batch message as the single-item message it stands for (the message's shared
 * receipt hash, expiry and traceparent applied).
 * @example const message = itemMessage(body, body.items[0])
 */
export function itemMessage(body: DeliveryBatchMessage, item: DeliveryBatchItem): DeliveryMessage {
  return {
    siteId: body.siteId,
    destinationKey: body.destinationKey,
    ...(body.receiptHash !== undefined && { receiptHash: body.receiptHash }),
    ...(body.expiresAt !== undefined && { expiresAt: body.expiresAt }),
    ...item,
    ...(body.traceparent && { traceparent: body.traceparent }),
  };
}

/** What a delivery queue carries. */
export type QueuedDelivery = DeliveryMessage | DeliveryBatchMessage;

/**
 * A queued body as sent: ingest sends batch messages as their JSON text (`contentType: 'text'`),
 * the text it already built to size them, so nothing serializes a batch twice; re-queues and
 * older messages are JSON-typed objects.
 */
export type QueuedBody = QueuedDelivery | string;

/** The delivery a queued body holds, whichever form it was sent in. */
export function queuedDelivery(body: QueuedBody): QueuedDelivery {
  return typeof body === 'string' ? (JSON.parse(body) as QueuedDelivery) : body;
}

export function isBatchMessage(body: QueuedDelivery): body is DeliveryBatchMessage {
  return Array.isArray((body as DeliveryBatchMessage).items);
}
