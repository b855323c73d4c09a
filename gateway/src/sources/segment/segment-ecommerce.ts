import { StandardEvent } from '@sluice/protocol';

/**
 * Segment's E-Commerce and B2B SaaS spec event names → Sluice's standard names (Meta's list), the
 * same mapping Segment's own Facebook Conversions API destination applies. Other names pass as they are.
 */
export const SEGMENT_EVENT_NAMES: Readonly<Record<string, string>> = {
  'Order Completed': StandardEvent.Purchase,
  'Product Added': StandardEvent.AddToCart,
  'Product Added to Wishlist': StandardEvent.AddToWishlist,
  'Checkout Started': StandardEvent.InitiateCheckout,
  'Payment Info Entered': StandardEvent.AddPaymentInfo,
  'Product Viewed': StandardEvent.ViewContent,
  'Products Searched': StandardEvent.Search,
  'Signed Up': StandardEvent.CompleteRegistration,
  'Trial Started': StandardEvent.StartTrial,
};

/**
 * Segment e-commerce properties with Sluice's commerce fields added beside them (`revenue`/`total` →
 * `value`, `order_id` → `orderId`, `products[].product_id` → `contentIds`), so the destinations read
 * them; Sluice names the client already set win.
 * @example segmentCommerce({ revenue: 42.5, currency: 'EUR', order_id: 'o-1' }) // { …, value: 42.5, orderId: 'o-1' }
 */
export function segmentCommerce(properties: Record<string, unknown>): Record<string, unknown> {
  const out = { ...properties };
  const value = [properties.value, properties.revenue, properties.total].find((v) => typeof v === 'number' && Number.isFinite(v));
  if (value !== undefined) out.value = value;
  if (out.orderId === undefined && typeof properties.order_id === 'string') out.orderId = properties.order_id;
  if (out.contentIds === undefined && Array.isArray(properties.products)) {
    const ids = properties.products.map((p) => (p as { product_id?: unknown })?.product_id).filter((id): id is string => typeof id === 'string');
    if (ids.length) out.contentIds = ids;
  } else if (out.contentIds === undefined && typeof properties.product_id === 'string') out.contentIds = [properties.product_id];
  return out;
}
