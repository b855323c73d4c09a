/**
 * Standard event names. They follow Meta's standard event names (the strictest vendor list);
 * each destination maps them to its own vocabulary (e.g. GA4 `purchase`, TikTok `CompletePayment`).
 * Custom names are allowed.
 */
export const StandardEvent = {
  PageView: 'PageView',
  ViewContent: 'ViewContent',
  Search: 'Search',
  AddToCart: 'AddToCart',
  AddToWishlist: 'AddToWishlist',
  InitiateCheckout: 'InitiateCheckout',
  AddPaymentInfo: 'AddPaymentInfo',
  Purchase: 'Purchase',
  Lead: 'Lead',
  CompleteRegistration: 'CompleteRegistration',
  Contact: 'Contact',
  Subscribe: 'Subscribe',
  StartTrial: 'StartTrial',
} as const;
export type StandardEvent = (typeof StandardEvent)[keyof typeof StandardEvent];
