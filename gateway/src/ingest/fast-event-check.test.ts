import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Event } from '@sluice/protocol';
import { fastEventCheck } from './fast-event-check.ts';

/** zod is the source of truth: the fast check may only accept what zod accepts, unchanged. */

const valid = () => ({
  type: 'track',
  event: 'Purchase',
  eventId: crypto.randomUUID(),
  timestamp: new Date().toISOString(),
  anonymousId: 'anon-1',
  userId: 'u-1',
  properties: { value: 42.5, currency: 'eur', items: [{ id: 'sku', qty: 1 }] },
  user: { email: 'jane@example.com', phone: '+1 650 555 0100' },
  context: {
    page: { url: 'https://shop.example/checkout', referrer: 'https://shop.example/', title: 'Checkout' },
    userAgent: 'UA',
    locale: 'de-DE',
    clickIds: { gclid: 'G', fbclid: 'F' },
    utm: { source: 'news' },
    cookies: { fbp: 'fb.1.2.3', ga: 'GA1.1.1.1' },
    sessionId: '123',
  },
  consent: { tcString: 'CQ', gppString: 'DB', gppSid: [7], consentMode: { ad_storage: 'granted' }, cmpCategories: { C0002: true }, gpc: false },
});

const anyValue = fc.oneof(
  fc.constantFrom(null, true, false, 0, -1, 1.5, '', ' ', ' x ', 'x'.repeat(129), 'x'.repeat(2049), '__proto__', 'granted', 'denied', '2026-11-28T10:00:00Z', '2026-11-28T10:00:00', crypto.randomUUID(), '00000000-0000-0000-0000-000000000000'),
  fc.string({ maxLength: 20 }),
  fc.array(fc.integer({ min: -5, max: 1005 }), { maxLength: 3 }),
  fc.dictionary(fc.constantFrom('url', 'referrer', 'title', 'email', 'gclid', 'fbp', 'x', '__proto__', 'ad_storage', 'C0002'), fc.oneof(fc.string({ maxLength: 10 }), fc.boolean(), fc.constant(null)), { maxKeys: 3 }),
);

/** Paths into the valid event where a mutation lands (a missing leaf adds a field). */
const PATHS = [
  'type', 'event', 'eventId', 'timestamp', 'anonymousId', 'userId', 'name', 'extra', 'properties', 'properties.value', 'properties.__proto__',
  'user', 'user.email', 'user.shoe', 'context', 'context.page', 'context.page.url', 'context.page.x', 'context.userAgent', 'context.locale', 'context.ip',
  'context.clickIds', 'context.clickIds.ttclid', 'context.utm.term', 'context.cookies.fbc', 'context.sessionId', 'consent', 'consent.tcString', 'consent.gppSid',
  'consent.consentMode', 'consent.consentMode.ad_user_data', 'consent.cmpCategories', 'consent.gpc', 'consent.other',
];

function mutate(event: Record<string, any>, path: string, value: unknown): Record<string, any> {
  const keys = path.split('.');
  let node = event;
  for (const key of keys.slice(0, -1)) {
    if (typeof node[key] !== 'object' || node[key] === null) node[key] = {};
    node = node[key];
  }
  const last = keys[keys.length - 1]!;
  if (last === '__proto__') Object.defineProperty(node, '__proto__', { value, enumerable: true, configurable: true, writable: true });
  else node[last] = value;
  return event;
}

describe('fastEventCheck against the zod Event schema', () => {
  it('accepts the hot shapes', () => {
    expect(fastEventCheck(valid())).toBe(true);
    expect(fastEventCheck({ ...valid(), type: 'page', event: undefined, name: 'Home' })).toBe(false); // `event` is not a page field
    const { event: _e, ...page } = valid();
    expect(fastEventCheck({ ...page, type: 'page', name: 'Home' })).toBe(true);
  });

  it('never accepts what zod rejects, and what it accepts zod accepts unchanged (1,500 random mutations)', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ path: fc.constantFrom(...PATHS), value: anyValue }), { minLength: 1, maxLength: 3 }), fc.constantFrom('track', 'page', 'identify'), (mutations, type) => {
        let event: Record<string, any> = { ...valid(), type };
        if (type !== 'track') delete event.event;
        for (const { path, value } of mutations) event = mutate(event, path, value);
        const roundTripped = JSON.parse(JSON.stringify(event));
        for (const candidate of [event, roundTripped]) {
          const zod = Event.safeParse(candidate);
          if (fastEventCheck(candidate)) {
            expect(zod.success, JSON.stringify(candidate)).toBe(true);
            expect(zod.data).toEqual(candidate);
          }
        }
      }),
      { numRuns: 1500, seed: 1405 },
    );
  });
});
