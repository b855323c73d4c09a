/**
 * One event bound for one destination, as it sits on the queue. `item` is already in the
 * vendor's shape with personal data hashed: nothing raw is ever written to a queue.
 */
export interface DeliveryMessage {
  siteId: string;
  /** Key of the destination in the site config (a site may have two Meta pixels). */
  destinationKey: string;
  eventId: string;
  item: unknown;
  /** Epoch ms after which the item must not be delivered (policy `retention.deliveryQueue`). */
  expiresAt?: number;
}
