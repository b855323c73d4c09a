import { describe, expect, it } from 'vitest';
import type { Event } from '@sluice/protocol';
import { DEFAULT_URL_RULES, redactSecrets, scrubEventUrls, scrubUrl } from './index.ts';

describe('scrubUrl', () => {
  it('drops personal parameters by name and by value, keeps click ids, campaign tags and plain parameters', () => {
    expect(scrubUrl('https://shop.example/checkout?email=jane%40example.com&phone=%2B16505550100&fbclid=FB1&utm_source=news&sku=A-12&page=2')).toBe(
      'https://shop.example/checkout?fbclid=FB1&utm_source=news&sku=A-12&page=2',
    );
    expect(scrubUrl('https://m.example/inbox?u=jane@example.com&billing_email=x&Access-Token=abc&q=shoes')).toBe('https://m.example/inbox?q=shoes');
    expect(scrubUrl('https://m.example/?contact=%2B49%2030%201234567&n=(650)%20555-0100&order=12345678')).toBe('https://m.example/?order=12345678');
  });

  it('replaces personal path segments, drops credentials and token-bearing fragments, keeps plain anchors', () => {
    expect(scrubUrl('https://u:p@shop.example/users/jane%40example.com/orders#reset?token=1')).toBe('https://shop.example/users/redacted/orders');
    expect(scrubUrl('https://shop.example/faq#shipping')).toBe('https://shop.example/faq#shipping');
    expect(scrubUrl('https://app.example/cb#access_token=abc&state=1')).toBe('https://app.example/cb');
  });

  it('drops what it cannot parse', () => {
    expect(scrubUrl('not a url')).toBeUndefined();
  });

  it('follows the rules it is given (rules are data)', () => {
    expect(scrubUrl('https://s.example/?sku=1&ref=2', { ...DEFAULT_URL_RULES, dropParams: ['sku'] })).toBe('https://s.example/?ref=2');
  });
});

describe('scrubEventUrls', () => {
  const base = { type: 'page', eventId: '6d3f1f4e-9a8b-4c2d-8e1f-0a1b2c3d4e5f', timestamp: '2026-11-28T10:00:00Z', anonymousId: 'a' } as const;
  it('rewrites the page URL and referrer, sharing untouched events and parts', () => {
    const plain = { ...base, context: { page: { url: 'https://s.example/a' } } } as Event;
    const personal = { ...base, properties: { x: 1 }, context: { userAgent: 'UA', page: { url: 'https://s.example/?email=j%40x.io', referrer: 'https://r.example/?tel=0650555012', title: 'T' } } } as Event;
    const [a, b] = scrubEventUrls([plain, personal]);
    expect(a).toBe(plain);
    expect(b!.context!.page).toEqual({ url: 'https://s.example/', referrer: 'https://r.example/', title: 'T' });
    expect(b!.properties).toBe(personal.properties);
    expect(personal.context!.page!.url).toContain('email');
  });
});

describe('redactSecrets', () => {
  it('redacts tokens in JSON bodies, query strings and headers', () => {
    expect(redactSecrets('{"data":[],"access_token":"EAAB-secret"}')).toBe('{"data":[],"access_token":"[redacted]"}');
    expect(redactSecrets('POST /mp/collect?measurement_id=G-1&api_secret=s3cr3t')).toBe('POST /mp/collect?measurement_id=G-1&api_secret=[redacted]');
    expect(redactSecrets('authorization: Bearer ya29.tok developer-token: dev123')).toBe('authorization: [redacted] developer-token: [redacted]');
    expect(redactSecrets('{"refresh_token":"1//x","client_secret":"cs"}')).toBe('{"refresh_token":"[redacted]","client_secret":"[redacted]"}');
    expect(redactSecrets('nothing secret here')).toBe('nothing secret here');
  });
});
