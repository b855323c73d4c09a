import { describe, expect, it } from 'vitest';
import { Event } from '@sluice/protocol';
import { correctedTimestamp } from './corrected-timestamp.ts';
import { eventIdFor } from './event-id-for.ts';
import { segmentConsent } from './segment-consent.ts';
import { segmentCredentials } from './segment-credentials.ts';
import { toSluiceEvent } from './to-sluice-event.ts';

const NOW = Date.parse('2026-12-02T12:00:00.000Z');
const basic = (s: string) => `Basic ${btoa(s)}`;

describe('Segment credentials', () => {
  it('read the write key from Basic or the body, and the source secret from "<key>:<secret>"', () => {
    expect(segmentCredentials(basic('wk_12345678:'), undefined)).toEqual({ writeKey: 'wk_12345678' });
    expect(segmentCredentials(basic('wk_12345678:s3cret:'), undefined)).toEqual({ writeKey: 'wk_12345678', sourceSecret: 's3cret' });
    expect(segmentCredentials(basic('wk_12345678:s3cret'), undefined)).toEqual({ writeKey: 'wk_12345678', sourceSecret: 's3cret' });
    expect(segmentCredentials(null, 'wk_12345678:s3cret')).toEqual({ writeKey: 'wk_12345678', sourceSecret: 's3cret' });
    expect(segmentCredentials('Basic %%%', 'wk_12345678')).toEqual({ writeKey: 'wk_12345678' });
    expect(segmentCredentials(null, 42)).toBeNull();
  });
});

describe('event ids from messageId', () => {
  it('keep UUIDs, and derive a stable RFC 9562 v8 UUID from anything else', async () => {
    const uuid = crypto.randomUUID();
    expect(await eventIdFor(uuid.toUpperCase())).toBe(uuid);
    const a = await eventIdFor('ajs-next-1700000000000-abc');
    expect(a).toBe(await eventIdFor('ajs-next-1700000000000-abc'));
    expect(a).not.toBe(await eventIdFor('ajs-next-1700000000000-abd'));
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe('skew correction', () => {
  it('moves the client time by the client clock error seen in sentAt, never past receipt', () => {
    expect(correctedTimestamp('2020-01-01T00:00:00Z', '2020-01-01T00:00:10Z', NOW)).toBe(new Date(NOW - 10_000).toISOString());
    expect(correctedTimestamp('2026-12-02T11:00:00Z', undefined, NOW)).toBe('2026-12-02T11:00:00.000Z');
    expect(correctedTimestamp('2030-01-01T00:00:00Z', undefined, NOW)).toBe(new Date(NOW).toISOString());
    expect(correctedTimestamp('garbage', 'x', NOW)).toBe(new Date(NOW).toISOString());
  });
});

describe('Segment consent', () => {
  it('maps categoryPreferences to CMP categories and passes IAB strings through raw', () => {
    expect(segmentConsent({ consent: { categoryPreferences: { C0002: true, C0004: false, 'bad key!': true, n: 'yes' }, tcString: 'CP1', gppString: 'DBA', gppSid: [7] } })).toEqual({
      cmpCategories: { C0002: true, C0004: false },
      tcString: 'CP1',
      gppString: 'DBA',
      gppSid: [7],
    });
    expect(segmentConsent({ page: {} })).toBeUndefined();
  });
});

describe('Segment messages as Sluice events', () => {
  const valid = async (message: Record<string, unknown>, type: Parameters<typeof toSluiceEvent>[1]) => {
    const result = Event.safeParse(await toSluiceEvent(message, type, undefined, NOW));
    if (!result.success) throw new Error(JSON.stringify(result.error.issues));
    return result.data;
  };

  it('track: standard names, commerce fields, traits in context become user fields', async () => {
    const event = await valid({ event: 'Order Completed', messageId: 'm-1', anonymousId: 'a-1', properties: { total: 12, order_id: 'o-9', products: [{ product_id: 'p-1' }] }, context: { traits: { email: 'x@y.io', address: { city: 'Berlin' } }, campaign: { source: 'news', name: 'winter' }, locale: 'de-DE' } }, 'track');
    expect(event).toMatchObject({ type: 'track', event: 'Purchase', user: { email: 'x@y.io', city: 'Berlin' }, properties: { value: 12, orderId: 'o-9', contentIds: ['p-1'] }, context: { utm: { source: 'news', campaign: 'winter' }, locale: 'de-DE' } });
  });

  it('identify takes traits; alias an identify; screen a named page view; group only its id', async () => {
    expect(await valid({ messageId: 'i', userId: 'u-1', traits: { email: 'x@y.io', first_name: 'Ada' } }, 'identify')).toMatchObject({ type: 'identify', userId: 'u-1', user: { email: 'x@y.io', firstName: 'Ada' } });
    expect((await valid({ messageId: 'a', userId: 'u-2', previousId: 'u-1' }, 'alias')).type).toBe('identify');
    expect(await valid({ messageId: 's', anonymousId: 'a', name: 'Cart' }, 'screen')).toMatchObject({ type: 'page', name: 'Cart' });
    const group = await valid({ messageId: 'g', anonymousId: 'a', groupId: 'acme', traits: { email: 'ceo@acme.io' } }, 'group');
    expect(group).toMatchObject({ type: 'track', event: 'Group', properties: { groupId: 'acme' } });
    expect(JSON.stringify(group)).not.toContain('ceo@acme.io');
  });

  it('integrations become boolean switches (options objects mean on); context.ip and location are carried for the server-source check', async () => {
    const event = await valid({ event: 'Order Completed', messageId: 'm-i', anonymousId: 'a', integrations: { All: false, 'Facebook Conversions API': true, Mixpanel: { apiKey: 'k' }, Junk: 'yes' }, context: { ip: '203.0.113.9', location: { country: 'United States', region: 'CA', city: 'Oakland' } } }, 'track');
    expect(event.integrations).toEqual({ All: false, 'Facebook Conversions API': true, Mixpanel: true });
    expect(event.context).toMatchObject({ ip: '203.0.113.9', location: { country: 'US', region: 'CA' } });
    // A country that is no ISO country is no location; a region that is a name is dropped.
    const vague = await valid({ event: 'x', messageId: 'm-v', anonymousId: 'a', context: { location: { country: 'Atlantis' } } }, 'track');
    expect(vague.context?.location).toBeUndefined();
    const named = await valid({ event: 'x', messageId: 'm-n', anonymousId: 'a', context: { location: { country: 'Deutschland', region: 'Bayern' } } }, 'track');
    expect(named.context?.location).toEqual({ country: 'DE' });
  });
  it('page: URL fields move from properties to context; a user id alone yields a hashed anonymous id', async () => {
    const event = await valid({ messageId: 'p', userId: 'Customer-1', properties: { url: 'https://s.example/a', path: '/a', title: 'A', plan: 'pro' } }, 'page');
    expect(event.context?.page).toEqual({ url: 'https://s.example/a', title: 'A' });
    expect(event.properties).toEqual({ plan: 'pro' });
    expect(event.anonymousId).toMatch(/^uid-[0-9a-f]{32}$/);
    expect(event.anonymousId).not.toContain('Customer');
  });
});
