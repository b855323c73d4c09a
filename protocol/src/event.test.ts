import { describe, expect, it } from 'vitest';
import { BatchEnvelope, Event, MAX_BATCH_EVENTS, MAX_PROPERTY_DEPTH, MAX_PROPERTY_NODES } from './index.ts';

const valid = {
  type: 'track',
  event: 'Purchase',
  eventId: '0b6f7f0e-4a8e-4d8e-9f3a-2f4f0c1d2e3f',
  timestamp: '2026-11-28T10:00:00.000Z',
  anonymousId: 'a1',
  user: { email: 'jane@example.com' },
  context: { clickIds: { fbclid: 'IwAR0abc' }, page: { url: 'https://shop.example/' } },
  consent: { tcString: 'CQ...', gppSid: [7], consentMode: { ad_storage: 'granted' }, gpc: true },
};

describe('Event', () => {
  it('accepts track, page and identify events', () => {
    expect(Event.safeParse(valid).success).toBe(true);
    const { event: _name, ...common } = valid;
    expect(Event.safeParse({ ...common, type: 'page', name: 'Home' }).success).toBe(true);
    expect(Event.safeParse({ ...common, type: 'identify', userId: 'u1' }).success).toBe(true);
    expect(Event.safeParse({ ...common, type: 'page', event: 'Purchase' }).success).toBe(false);
  });

  it('requires a UUID eventId and an ISO timestamp with offset', () => {
    expect(Event.safeParse({ ...valid, eventId: '123' }).success).toBe(false);
    expect(Event.safeParse({ ...valid, timestamp: '1764324000' }).success).toBe(false);
    expect(Event.safeParse({ ...valid, timestamp: '2026-11-28T10:00:00+01:00' }).success).toBe(true);
  });

  it('rejects unknown user fields instead of forwarding them (they could carry personal data)', () => {
    const result = Event.safeParse({ ...valid, user: { email: 'a@b.co', ssn: '1' } });
    expect(result.success).toBe(false);
    expect(result.error!.issues[0]!.path).toEqual(['user']);
  });

  it('lets clients send the raw consent signals; a relayed IP and location only in their exact shapes', () => {
    expect(Event.safeParse({ ...valid, consent: { consentMode: { ad_storage: 'yes' } } }).success).toBe(false);
    // context.ip / context.location are for server sources (the gateway rejects them from browsers, sources/relayed/).
    expect(Event.safeParse({ ...valid, context: { ip: '203.0.113.9', location: { country: 'DE', region: 'BE' } } }).success).toBe(true);
    expect(Event.safeParse({ ...valid, context: { ip: '2001:db8::1' } }).success).toBe(true);
    expect(Event.safeParse({ ...valid, context: { ip: 'ada@example.org' } }).success).toBe(false);
    expect(Event.safeParse({ ...valid, context: { location: { country: 'Germany' } } }).success).toBe(false);
    expect(Event.safeParse({ ...valid, context: { location: { city: 'Berlin' } } }).success).toBe(false);
    expect(Event.safeParse({ ...valid, integrations: { All: false, 'Google Analytics 4': true } }).success).toBe(true);
    expect(Event.safeParse({ ...valid, integrations: { All: 'no' } }).success).toBe(false);
  });

  it('tolerates the GPP "no section applies" value gppSid: [-1] and normalizes it away', () => {
    const none = Event.safeParse({ ...valid, consent: { gppString: 'DBAA', gppSid: [-1] } });
    expect(none.success).toBe(true);
    expect(none.data!.consent!.gppSid).toEqual([]);
    expect(Event.parse({ ...valid, consent: { gppSid: [7, 8] } }).consent!.gppSid).toEqual([7, 8]);
    expect(Event.safeParse({ ...valid, consent: { gppSid: [-2] } }).success).toBe(false);
  });

  it('bounds property size', () => {
    expect(Event.safeParse({ ...valid, properties: { blob: 'x'.repeat(40_000) } }).success).toBe(false);
  });
});

describe('BatchEnvelope', () => {
  it(`holds 1..${MAX_BATCH_EVENTS} events and a sentAt`, () => {
    const sentAt = '2026-11-28T10:00:00Z';
    expect(BatchEnvelope.safeParse({ sentAt, events: [valid] }).success).toBe(true);
    expect(BatchEnvelope.safeParse({ sentAt, events: [] }).success).toBe(false);
    expect(BatchEnvelope.safeParse({ sentAt, events: Array(MAX_BATCH_EVENTS + 1).fill(valid) }).success).toBe(false);
    expect(BatchEnvelope.safeParse({ events: [valid] }).success).toBe(false);
  });
});

describe('properties shape bounds', () => {
  const deep = (n: number) => {
    let v: Record<string, unknown> = { leaf: 1 };
    for (let i = 1; i < n; i++) v = { a: v };
    return v;
  };
  const event = (properties: unknown) => ({ type: 'track', event: 'X', eventId: crypto.randomUUID(), timestamp: new Date().toISOString(), anonymousId: 'a', properties });

  it('accepts properties nested up to the depth limit and rejects deeper ones without overflowing', () => {
    expect(Event.safeParse(event(deep(MAX_PROPERTY_DEPTH))).success).toBe(true);
    const tooDeep = Event.safeParse(event(deep(MAX_PROPERTY_DEPTH + 1)));
    expect(tooDeep.success).toBe(false);
    expect(tooDeep.error!.issues[0]!.message).toContain(`${MAX_PROPERTY_DEPTH} levels`);
    // Far past any recursion limit: still a clean validation error.
    expect(Event.safeParse(event(deep(100_000))).success).toBe(false);
  });

  it('rejects properties with too many values', () => {
    const wide = Object.fromEntries(Array.from({ length: MAX_PROPERTY_NODES + 1 }, (_, i) => [`k${i}`, 0]));
    expect(Event.safeParse(event(wide)).error!.issues[0]!.message).toContain(`${MAX_PROPERTY_NODES} values`);
  });
});
