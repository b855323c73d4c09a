import { describe, expect, it } from 'vitest';
import type { Event } from '@sluice/protocol';
import { applyFieldTransforms, generalizeIp, stripQuery } from './apply-field-transforms.ts';

const event: Event = {
  type: 'track',
  event: 'Purchase',
  eventId: '6d3f1f4e-9a8b-4c2d-8e1f-0a1b2c3d4e5f',
  timestamp: '2026-11-28T10:00:00.000Z',
  anonymousId: 'anon-1',
  user: { email: '  Jane.Doe@Example.COM ', phone: '+1 (650) 555-0100', birthdate: '1990-01-01' },
  context: { page: { url: 'https://shop.example/checkout?email=jane%40example.com&gclid=abc&utm_source=news#token=1' } },
};

async function sha(value: string) {
  const d = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(value));
  return [...new Uint8Array(d)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

describe('applyFieldTransforms', () => {
  it('drops, hashes (normalized), generalizes the IP and strips queries, without touching the input', async () => {
    const out = await applyFieldTransforms(event, '203.0.113.77', [
      { path: 'user.birthdate', action: 'drop', rule: 'fields.user.birthdate' },
      { path: 'user.email', action: 'hash', rule: 'fields.user.email' },
      { path: 'context.ip', action: 'generalize', ipv4Prefix: 24, rule: 'fields.context.ip' },
      { path: 'context.page.url', action: 'strip-query', rule: 'fields.context.page.url' },
    ]);
    expect(out.ip).toBe('203.0.113.0');
    expect(out.event.user).toEqual({ email: await sha('jane.doe@example.com'), phone: '+1 (650) 555-0100' });
    expect(out.event.context?.page?.url).toBe('https://shop.example/checkout?gclid=abc&utm_source=news');
    expect(event.user?.birthdate).toBe('1990-01-01');
  });

  it('generalizes IPv6 by prefix and refuses garbage', () => {
    expect(generalizeIp('2001:db8:85a3:8d3:1319:8a2e:370:7348', 24, 48)).toBe('2001:db8:85a3:0:0:0:0:0');
    expect(generalizeIp('2001:db8::1', 24, 32)).toBe('2001:db8:0:0:0:0:0:0');
    expect(generalizeIp('10.1.2.3', 16, 48)).toBe('10.1.0.0');
    expect(generalizeIp('999.1.1.1', 24, 48)).toBeUndefined();
    expect(generalizeIp('not-an-ip', 24, 48)).toBeUndefined();
  });

  it('keeps only listed query parameters', () => {
    expect(stripQuery('https://a.example/p?fbclid=1&q=secret', ['fbclid'])).toBe('https://a.example/p?fbclid=1');
    expect(stripQuery('not a url', ['fbclid'])).toBeUndefined();
  });
});

describe('applyFieldTransforms without copying whole events', () => {
  it('shares untouched parts with the input, copies only the transformed path, and never mutates the input', async () => {
    let deep: Record<string, unknown> = { leaf: 1 };
    for (let i = 0; i < 20_000; i++) deep = { a: deep };
    const input = { ...event, properties: { deep } } as Event;
    const before = JSON.stringify({ user: input.user, context: input.context });
    const out = await applyFieldTransforms(input, undefined, [
      { path: 'user.email', action: 'hash', rule: 'fields.user.email' },
      { path: 'context.page.url', action: 'strip-query', rule: 'fields.context.page.url' },
    ]);
    // Deep untouched data is shared (no recursion into it), the touched path is fresh.
    expect(out.event.properties).toBe(input.properties);
    expect(out.event.user).not.toBe(input.user);
    expect(out.event.user?.phone).toBe(input.user?.phone);
    expect(JSON.stringify({ user: input.user, context: input.context })).toBe(before);
  });
});
