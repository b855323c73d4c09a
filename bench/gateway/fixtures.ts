// Fixtures of the gateway bench (bundled to ESM for bench/gateway.bench.mjs): the site, the example
// consent policy (plus TikTok gated like Meta), the test GVL and an EEA visitor's TC string.
import examplePolicy from '../../consent/policies/example-global.json' with { type: 'json' };
import gvl from '../../consent/fixtures/gvl-test.json' with { type: 'json' };
import { makeTcString } from '../../consent/src/testing/make-tc-string.ts';

export const WRITE_KEY = 'bench_write_key_0001';
export const ORIGIN = 'https://shop.example';

export const site = {
  id: 'bench-shop',
  allowedOrigins: [ORIGIN],
  destinations: {
    meta: { type: 'meta', pixelId: '1234567890', accessTokenSecret: 'META_TOKEN_BENCH' },
    ga4: { type: 'ga4', measurementId: 'G-BENCH0001', apiSecretSecret: 'GA4_SECRET_BENCH' },
    google_ads: {
      type: 'google_ads', customerId: '1234567890', conversionActionId: '555',
      developerTokenSecret: 'ADS_SECRET_BENCH', oauthClientIdSecret: 'ADS_SECRET_BENCH', oauthClientSecretSecret: 'ADS_SECRET_BENCH', oauthRefreshTokenSecret: 'ADS_SECRET_BENCH',
    },
    tiktok: { type: 'tiktok', pixelCode: 'BENCHPIXEL01', accessTokenSecret: 'TIKTOK_TOKEN_BENCH' },
  },
};

export function policy(): Record<string, any> {
  const p = structuredClone(examplePolicy) as Record<string, any>;
  p.destinations.tiktok = structuredClone(p.destinations.meta);
  return p;
}

export { gvl };

export const tcString = makeTcString({ purposeConsents: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], purposeLegitimateInterests: [2, 7, 8, 9, 10, 11], vendorConsents: [755, 89, 276], vendorLegitimateInterests: [755] });

/** One event as the SDK sends it on a checkout page; page context is shared by the batch. */
export function event(i: number) {
  return {
    type: 'track',
    event: i % 5 === 0 ? 'Purchase' : 'AddToCart',
    eventId: crypto.randomUUID(),
    timestamp: new Date().toISOString(),
    properties: { value: 42.5 + i, currency: 'eur', orderId: `order-${i}`, items: [{ id: `sku-${i}`, quantity: 1, price: 42.5 }] },
    user: { email: `Jane.Doe+${i % 3}@Example.COM`, phone: '+1 (650) 555-0100', firstName: 'Jane', lastName: 'Doe', city: 'Berlin', postalCode: '10115', country: 'DE' },
    consent: { tcString, consentMode: { ad_storage: 'granted', analytics_storage: 'granted', ad_user_data: 'granted', ad_personalization: 'granted' } },
  };
}

export function batch(size: number) {
  return {
    sentAt: new Date().toISOString(),
    anonymousId: 'anon-bench-1',
    context: {
      page: { url: 'https://shop.example/checkout?step=2&email=jane%40example.com&gclid=Cj0KCQ', referrer: 'https://shop.example/cart?utm_source=news' },
      userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36',
      clickIds: { gclid: 'Cj0KCQ', fbclid: 'IwAR2xYz' },
      cookies: { fbp: 'fb.1.1700000000000.1234567890', ga: 'GA1.1.1234567890.1700000000', ttp: 'ttp-cookie' },
      sessionId: '1700000123',
    },
    events: Array.from({ length: size }, (_, i) => event(i)),
  };
}
