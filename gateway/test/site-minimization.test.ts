import { env, createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import worker from '../src/index.ts';
import type { Env } from '../src/env.ts';
import type { DeliveryMessage } from '../src/delivery/delivery-message.ts';
import { recordingQueues } from './recorded-ingest.ts';
import { clearPlanCache } from '../src/plan/live-plan.ts';
import { clearPolicyCache } from '../src/consent/live-policy.ts';
import defaultPolicy from '../../consent/policies/default.json';
import type { SiteConfig } from '../src/site-config/site-config.ts';
import { scopedIds, seed } from './destinations.ts';

/**
 * The site's minimization (tracking plan `minimization`) holds on every ingest path: the SDK's
 * `/v1/batch` and the Segment-compatible source both scrub URLs with the site's rules — a parameter
 * the site keeps is not dropped again by the default rules, one it drops never leaves.
 */
const ADMIN = { authorization: `Bearer ${env.ADMIN_TOKEN}`, 'content-type': 'application/json' };
const KEY = 'minimize_write_key_01';
const SITE = 'minimize-shop';
const ORIGIN = 'https://shop.example';
const URL_IN = 'https://shop.example/p?code=SUMMER24&ref=newsletter-7&gclid=GCLID-123&email=ada%40example.org&utm_source=mail';
const GRANTED = { consentMode: { ad_storage: 'granted', ad_user_data: 'granted', ad_personalization: 'granted', analytics_storage: 'granted' } };


async function run(request: Request) {
  const { sent, queues } = recordingQueues();
  const ctx = createExecutionContext();
  const response = await worker.fetch(request, { ...(env as Env), ...queues } as unknown as Env, ctx);
  await waitOnExecutionContext(ctx);
  return { status: response.status, sent };
}

async function admin(path: string, body: unknown) {
  const response = await worker.fetch(new Request(`https://gw.example${path}`, { method: 'PUT', headers: ADMIN, body: JSON.stringify(body) }), env as Env, createExecutionContext());
  expect(response.status, await response.clone().text()).toBe(200);
}

/** Every URL that reached the queue for any destination (Meta's event_source_url, the warehouse's page_url). */
const urls = (sent: DeliveryMessage[]) => sent.map((m) => JSON.stringify(m.item)).join('\n');

beforeAll(async () => {
  const ids = scopedIds();
  await seed({ id: SITE, allowedOrigins: [ORIGIN], destinations: { meta: { type: 'meta', pixelId: ids.pixelId, accessTokenSecret: 'META_TOKEN_TEST' }, warehouse: { type: 'warehouse', prefix: 'minimize' } } } as unknown as SiteConfig, KEY);
  // The built-in policy strips every query string at the destinations; this site's policy keeps them, so ingest's minimization is what decides.
  const policy = structuredClone(defaultPolicy) as Record<string, any>;
  delete policy.fields['context.page.url'];
  delete policy.fields['context.page.referrer'];
  clearPolicyCache();
  await admin(`/v1/admin/sites/${SITE}/policy`, policy);
  await admin(`/v1/admin/sites/${SITE}/plan`, { version: 1, events: {}, minimization: { keepParams: ['code'], dropParams: ['ref'], keepClickIds: false } });
  clearPlanCache();
  clearPolicyCache();
});

function expectSiteRules(text: string) {
  expect(text).toContain('code=SUMMER24'); // a default-dropped name the site keeps
  expect(text).toContain('utm_source=mail');
  expect(text).not.toContain('newsletter-7'); // dropped by the site
  expect(text).not.toContain('GCLID-123'); // click ids off for this site
  expect(text).not.toContain('ada');
}

describe("the site's minimization on every ingest path", () => {
  it('/v1/batch', async () => {
    const event = { type: 'page', eventId: crypto.randomUUID(), timestamp: new Date().toISOString(), anonymousId: 'anon-min-1', consent: GRANTED, context: { page: { url: URL_IN, referrer: URL_IN } } };
    const { status, sent } = await run(
      new Request(`https://gw.example/v1/batch?key=${KEY}`, { method: 'POST', headers: { origin: ORIGIN, 'content-type': 'text/plain' }, body: JSON.stringify({ sentAt: new Date().toISOString(), events: [event] }), cf: { country: 'US', regionCode: 'NY' } } as RequestInit),
    );
    expect(status).toBe(200);
    expect(new Set(sent.map((m) => m.destinationKey))).toEqual(new Set(['meta', 'warehouse']));
    expectSiteRules(urls(sent));
  });

  it('the Segment-compatible source', async () => {
    const body = { type: 'page', messageId: `min-${crypto.randomUUID()}`, anonymousId: 'anon-min-2', timestamp: new Date().toISOString(), context: { page: { url: URL_IN, referrer: URL_IN }, consent: GRANTED }, properties: {} };
    const { status, sent } = await run(
      new Request('https://gw.example/segment/v1/page', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Basic ${btoa(`${KEY}:`)}`, origin: ORIGIN }, body: JSON.stringify(body), cf: { country: 'US', regionCode: 'NY' } } as RequestInit),
    );
    expect(status).toBe(200);
    expect(sent.length).toBeGreaterThan(0);
    expectSiteRules(urls(sent));
  });
  it("the warehouse cleans event properties with the site's rules too", async () => {
    const event = { type: 'track', event: 'Signup', eventId: crypto.randomUUID(), timestamp: new Date().toISOString(), anonymousId: 'anon-min-3', consent: GRANTED, properties: { code: 'SUMMER24', ref: 'newsletter-7', landing: URL_IN } };
    const { status, sent } = await run(
      new Request(`https://gw.example/v1/batch?key=${KEY}`, { method: 'POST', headers: { origin: ORIGIN, 'content-type': 'text/plain' }, body: JSON.stringify({ sentAt: new Date().toISOString(), events: [event] }), cf: { country: 'US', regionCode: 'NY' } } as RequestInit),
    );
    expect(status).toBe(200);
    const row = sent.find((m) => m.destinationKey === 'warehouse')!.item as { properties: Record<string, unknown> };
    expect(row.properties.code).toBe('SUMMER24'); // a name the default rules drop, kept by the site
    expect(row.properties).not.toHaveProperty('ref'); // dropped by the site
    expectSiteRules(String(row.properties.landing));
  });
});
