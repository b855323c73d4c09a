import { env } from 'cloudflare:test';
import { clearSiteConfigCache } from '../src/site-config/load-site-config.ts';
import type { SiteConfig } from '../src/site-config/site-config.ts';

export const WRITE_KEY = 'test_write_key_0001';
export const ORIGIN = 'https://shop.example';

export const site: SiteConfig = {
  id: 'test-shop',
  allowedOrigins: [ORIGIN],
  destinations: { meta: { type: 'meta', pixelId: '1234567890', accessTokenSecret: 'META_TOKEN_TEST' } },
};

/** Writes the test site to the real KV binding. */
export async function seedSite(config: SiteConfig = site): Promise<void> {
  await env.CONFIG.put(`writekey:${WRITE_KEY}`, config.id);
  await env.CONFIG.put(`site:${config.id}`, JSON.stringify(config));
  clearSiteConfigCache();
}

export function trackEvent(overrides: Record<string, unknown> = {}) {
  return {
    type: 'track',
    event: 'Purchase',
    eventId: crypto.randomUUID(),
    timestamp: new Date().toISOString(),
    anonymousId: 'anon-1',
    properties: { value: 42.5, currency: 'eur' },
    user: { email: '  Jane.Doe@Example.COM ', phone: '+1 (650) 555-0100' },
    context: { page: { url: 'https://shop.example/checkout' }, userAgent: 'Mozilla/5.0 test' },
    ...overrides,
  };
}

export function batchOf(events: unknown[]) {
  return { sentAt: new Date().toISOString(), events };
}

export function post(body: unknown, init: { origin?: string | null; key?: string | null; type?: string } = {}) {
  const key = init.key === undefined ? WRITE_KEY : init.key;
  const headers: Record<string, string> = { 'content-type': init.type ?? 'text/plain' };
  const origin = init.origin === undefined ? ORIGIN : init.origin;
  if (origin) headers.origin = origin;
  return new Request(`https://gw.example/v1/batch${key ? `?key=${key}` : ''}`, {
    method: 'POST',
    headers,
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}
