/** Sluice (Meta-style) standard names → GA4 recommended events. */
const RECOMMENDED: Record<string, string> = {
  PageView: 'page_view',
  ViewContent: 'view_item',
  Search: 'search',
  AddToCart: 'add_to_cart',
  AddToWishlist: 'add_to_wishlist',
  InitiateCheckout: 'begin_checkout',
  AddPaymentInfo: 'add_payment_info',
  Purchase: 'purchase',
  Lead: 'generate_lead',
  CompleteRegistration: 'sign_up',
  Subscribe: 'subscribe',
  StartTrial: 'start_trial',
  Contact: 'contact',
};

/** GA4 names: ≤ 40 chars, a letter then letters, digits, underscores; reserved prefixes are rejected. */
export const GA4_MAX_NAME_LENGTH = 40;
const RESERVED_PREFIXES = ['ga_', 'google_', 'firebase_'];

/**
 * The GA4 event name for a Sluice event name: recommended name for standard events, otherwise
 * snake_case of the custom name; undefined when nothing valid remains.
 * @example ga4EventName('Purchase') // 'purchase'; ga4EventName('Newsletter Signup') // 'newsletter_signup'
 */
export function ga4EventName(name: string): string | undefined {
  const recommended = RECOMMENDED[name];
  if (recommended) return recommended;
  const snake = name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .replace(/^[^a-z]+|_+$/g, '')
    .slice(0, GA4_MAX_NAME_LENGTH);
  if (!snake || RESERVED_PREFIXES.some((p) => snake.startsWith(p))) return undefined;
  return snake;
}
