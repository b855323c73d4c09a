import type { Env } from '../env.ts';
import type { DestinationConfig } from '../site-config/site-config.ts';
import { isBatchMessage, itemMessage, queuedDelivery, type DeliveryBatchMessage, type DeliveryMessage, type QueuedBody, type QueuedDelivery } from './delivery-message.ts';
import { enqueueMessages } from './queue-for.ts';

/** Retries a delivery queue allows before the dead-letter queue (wrangler.toml `max_retries`). */
export const MAX_RETRIES = 8;

/**
 * One item to deliver, whichever message form carried it: the consumer acks or retries items,
 * and `settleUnits` turns that into acks, retries or a re-queue of the rest for batch messages.
 */
export interface DeliveryUnit {
  readonly body: DeliveryMessage;
  /** Delivery attempts of this item so far, this one included. */
  readonly attempts: number;
  /** True when the consumer itself must dead-letter the item past `MAX_RETRIES` (the queue counts only its message). */
  readonly countsOwnRetries: boolean;
  ack(): void;
  retry(options?: QueueRetryOptions): void;
}

interface BatchTracker {
  message: Message<QueuedBody>;
  body: DeliveryBatchMessage;
  units: Array<DeliveryUnit & { state: 'open' | 'acked' | 'retry'; delay: number }>;
  type?: DestinationConfig['type'];
}

/** The items of a queue batch as units, and what is needed to settle their messages afterwards. */
export interface ExpandedBatch {
  units: DeliveryUnit[];
  /** Records a batch message's destination type (to re-queue a remainder on its queue). */
  setType(unit: DeliveryUnit, type: DestinationConfig['type']): void;
  trackers: BatchTracker[];
}

/** Single-item messages are their own unit; a batch message becomes one unit per item. */
export function expandMessages(messages: readonly Message<QueuedBody>[]): ExpandedBatch {
  const units: DeliveryUnit[] = [];
  const trackers: BatchTracker[] = [];
  const trackerOf = new Map<DeliveryUnit, BatchTracker>();
  for (const message of messages) {
    const body = queuedDelivery(message.body);
    if (!isBatchMessage(body)) {
      units.push({
        body,
        attempts: message.attempts,
        countsOwnRetries: false,
        ack: () => message.ack(),
        retry: (options) => message.retry(options),
      });
      continue;
    }
    const tracker: BatchTracker = { message, body, units: [] };
    const attempts = message.attempts + (body.priorAttempts ?? 0);
    for (const entry of body.items) {
      const unit = {
        body: itemMessage(body, entry),
        attempts,
        countsOwnRetries: true,
        state: 'open' as 'open' | 'acked' | 'retry',
        delay: 0,
        ack() {
          unit.state = 'acked';
        },
        retry(options?: QueueRetryOptions) {
          unit.state = 'retry';
          unit.delay = Math.max(unit.delay, options?.delaySeconds ?? 0);
        },
      };
      tracker.units.push(unit);
      trackerOf.set(unit, tracker);
      units.push(unit);
    }
    trackers.push(tracker);
  }
  return {
    units,
    trackers,
    setType(unit, type) {
      const tracker = trackerOf.get(unit);
      if (tracker) tracker.type = type;
    },
  };
}

/**
 * Settles batch messages from their items: all acked → ack; none acked → retry the message (the
 * queue keeps counting its attempts); some acked → queue the rest as a new message carrying their
 * attempt count, then ack. Items left open (an error cut the run short) leave the message un-acked,
 * so the queue redelivers it and the delivered ledger skips what already went out.
 */
export async function settleUnits(env: Env, expanded: ExpandedBatch): Promise<void> {
  for (const tracker of expanded.trackers) {
    const { message, body, units } = tracker;
    if (units.some((u) => u.state === 'open')) continue;
    const retry = units.filter((u) => u.state === 'retry');
    const delaySeconds = Math.max(0, ...retry.map((u) => u.delay));
    if (retry.length === 0) message.ack();
    else if (retry.length === units.length) message.retry({ delaySeconds });
    else if (tracker.type) {
      const rest: DeliveryBatchMessage = {
        siteId: body.siteId,
        destinationKey: body.destinationKey,
        items: retry.map(({ body: { siteId: _s, destinationKey: _d, traceparent: _t, ...item } }) => item),
        priorAttempts: retry[0]!.attempts,
        ...(body.traceparent && { traceparent: body.traceparent }),
      };
      await enqueueMessages(env, [{ type: tracker.type, body: rest }], { delaySeconds });
      message.ack();
    } else message.retry({ delaySeconds });
  }
}
