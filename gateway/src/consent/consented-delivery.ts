import type { ConsentReceipt } from '@sluice/consent';
import type { DeliveryMessage } from '../delivery/delivery-message.ts';

/** A delivery as queued under a policy: the receipt travels with it (an extra optional field). */
export interface ConsentedDeliveryMessage extends DeliveryMessage {
  receipt?: ConsentReceipt;
}
