import type { DeliveryMessage } from '../delivery/delivery-message.ts';

/**
 * A delivery as queued under a policy. Its receipt is stored once per batch in D1
 * (`consent_receipts`) and referenced by `receiptHash`, no longer copied into every message.
 */
export type ConsentedDeliveryMessage = DeliveryMessage & { receiptHash?: string };
