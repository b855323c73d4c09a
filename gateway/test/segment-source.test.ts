import { env, createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { beforeEach, describe, expect, it } from 'vitest';
import worker from '../src/index.ts';
import type { Env } from '../src/env.ts';
import type { ConsentedDeliveryMessage } from '../src/consent/consented-delivery.ts';
import type { DeliveryBatchMessage } from '../src/delivery/delivery-message.ts';
import { clearPolicyCache } from '../src/consent/live-policy.ts';
import { eventIdFor } from '../src/sources/segment/event-id-for.ts';
import { ORIGIN, WRITE_KEY, seedSite, site } from './fixtures.ts';
import { recordingQueue } from './consent-fixtures.ts';
import { sha256 } from './destinations.ts';

const SECRET = 'segment-source-secret-0123456789';
const SERVER_KEY = `${WRITE_KEY}:${SECRET}`;
const lakeSite = {
  ...site,
  sourceSecret: 'SOURCE_SECRET_TEST',
  // Server messages here relay no context.location: placed in the US by the site's default (else the strictest reading).
  serverSourceLocation: 'US',
  destinations: { ...site.destinations, lake: { type: 'warehouse' } },
} as typeof site;

/** The Basic header Segment's and RudderStack's libraries build from their writeKey option: base64(writeKey + ':'). */
const basic = (writeKey: string) => `Basic ${btoa(`${writeKey}:`)}`;

async function send(path: string, body: unknown, headers: Record<string, string> = {}, init: { gzip?: boolean; cf?: object } = {}) {
  const { sent, queue } = recordingQueue();
  let payload: BodyInit = JSON.stringify(body);
  if (init.gzip) payload = await new Response(new Blob([payload]).stream().pipeThrough(new CompressionStream('gzip'))).arrayBuffer();
  const request = new Request(`https://gw.example/segment/v1/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(init.gzip && { 'content-encoding': 'gzip' }), ...headers },
    body: payload,
    cf: init.cf ?? {},
  } as RequestInit);
  const queues = { DELIVERY: queue, DELIVERY_META: queue, DELIVERY_WAREHOUSE: queue };
  const ctx = createExecutionContext();
  const response = await worker.fetch(request, { ...(env as Env), SOURCE_SECRET_TEST: SECRET, ...queues } as Env, ctx);
  await waitOnExecutionContext(ctx);
  return { response, body: (await response.json()) as Record<string, any>, sent: sent as Array<ConsentedDeliveryMessage | DeliveryBatchMessage> };
}

function orderCompleted(messageId = `node-next-${crypto.randomUUID()}`) {
  return {
    type: 'track',
    event: 'Order Completed',
    messageId,
    userId: 'Customer-77',
    anonymousId: 'anon-segment-1',
    timestamp: new Date(Date.now() - 60_000).toISOString(),
    properties: { revenue: 99.5, currency: 'eur', order_id: 'o-1', products: [{ product_id: 'sku-1' }] },
    context: { traits: { email: ' Ada@Example.ORG ' }, page: { url: 'https://shop.example/done?email=ada%40example.org' }, userAgent: 'Mozilla/5.0 segment' },
    integrations: {},
  };
}

/** The items queued for one destination: ingest queues batch messages (issue 14), one per destination, each holding its items. */
const itemsFor = (sent: Array<ConsentedDeliveryMessage | DeliveryBatchMessage>, key: string) =>
  sent.filter((m) => m.destinationKey === key).flatMap((m) => ('items' in m ? m.items.map((i) => i.item) : [m.item])) as Array<Record<string, any>>;

describe('Segment-compatible source (/segment/v1/*)', () => {
  beforeEach(async () => {
    await seedSite(lakeSite);
    clearPolicyCache();
  });

  it('maps a server batch (write key:source secret as the Basic user) into Sluice events on exactly the ingest path', async () => {
    const message = orderCompleted();
    const { response, body, sent } = await send('batch', { batch: [message, { type: 'identify', messageId: 'id-1', userId: 'u-2', traits: { email: 'b@example.org' } }], sentAt: new Date().toISOString() }, { authorization: basic(SERVER_KEY) });
    expect(response.status).toBe(200);
    expect(body).toMatchObject({ success: true, accepted: 2, duplicates: 0, rejected: [] });
    const meta = itemsFor(sent, 'meta')[0]!;
    expect(meta.event_name).toBe('Purchase');
    expect(meta.event_id).toBe(await eventIdFor(message.messageId));
    expect(meta.user_data.em).toEqual([await sha256('ada@example.org')]);
    expect(meta.user_data.external_id).toEqual([await sha256('customer-77')]);
    expect(meta.custom_data).toMatchObject({ value: 99.5, currency: 'EUR', order_id: 'o-1', content_ids: ['sku-1'] });
    // The URL's personal query parameter was scrubbed before any destination saw it.
    expect(meta.event_source_url).toBe('https://shop.example/done');
    const lake = itemsFor(sent, 'lake');
    expect(lake.map((r) => r.event_name).sort()).toEqual(['Identify', 'Purchase']);
    expect(JSON.stringify(sent).toLowerCase()).not.toContain('ada@example.org');
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('is idempotent by messageId: the client’s retry of the same batch is all duplicates and queues nothing', async () => {
    const batch = { batch: [orderCompleted(), orderCompleted()] };
    const first = await send('batch', batch, { authorization: basic(SERVER_KEY) });
    expect(first.body.accepted).toBe(2);
    const retry = await send('batch', batch, { authorization: basic(SERVER_KEY), 'x-retry-count': '1' });
    expect(retry.body).toMatchObject({ accepted: 0, duplicates: 2 });
    expect(retry.sent).toEqual([]);
  });

  it('takes single calls on their paths (/track, /t, /page, /screen …), the write key in the body, and gzip bodies', async () => {
    const track = await send('t', { ...orderCompleted(), writeKey: SERVER_KEY });
    expect(track.body.accepted).toBe(1);
    const page = await send('page', { messageId: 'p-1', anonymousId: 'a-1', name: 'Home', properties: { url: 'https://shop.example/?phone=123', path: '/' } }, { authorization: basic(SERVER_KEY) }, { gzip: true });
    expect(page.response.status).toBe(200);
    expect(itemsFor(page.sent, 'meta')[0]).toMatchObject({ event_name: 'PageView', event_source_url: 'https://shop.example/' });
    const screen = await send('screen', { messageId: 's-1', userId: 'u-9', name: 'Checkout' }, { authorization: basic(SERVER_KEY) });
    expect(screen.body.accepted).toBe(1);
    expect(itemsFor(screen.sent, 'lake')[0]).toMatchObject({ event_type: 'page', event_name: 'PageView' });
  });

  it('corrects the client clock with sentAt (Segment’s skew rule)', async () => {
    const skewed = { ...orderCompleted(), timestamp: '2020-01-01T00:00:00.000Z', sentAt: '2020-01-01T00:00:30.000Z' };
    const { sent } = await send('track', skewed, { authorization: basic(SERVER_KEY) });
    const row = itemsFor(sent, 'lake')[0]!;
    expect(Math.abs(row.event_time - (row.received_at - 30_000))).toBeLessThan(1000);
  });

  it('authenticates like every Sluice source: no secret and no Origin 401, wrong secret 401, browser origins checked', async () => {
    expect((await send('batch', { batch: [orderCompleted()] }, { authorization: basic(WRITE_KEY) })).response.status).toBe(401);
    expect((await send('batch', { batch: [orderCompleted()] }, { authorization: basic(`${WRITE_KEY}:wrong-secret`) })).response.status).toBe(401);
    expect((await send('batch', { batch: [orderCompleted()] })).body.error.code).toBe('missing_write_key');
    expect((await send('t', orderCompleted(), { authorization: basic('unknown_key_123') })).response.status).toBe(401);
    const browser = await send('t', orderCompleted(), { authorization: basic(WRITE_KEY), origin: ORIGIN });
    expect(browser.response.status).toBe(200);
    expect(browser.response.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect((await send('t', orderCompleted(), { authorization: basic(WRITE_KEY), origin: 'https://evil.example' })).response.status).toBe(403);
  });

  it('rejects bad input with clear errors, never a 5xx', async () => {
    const auth = { authorization: basic(SERVER_KEY) };
    const bad = await send('batch', { batch: [{ type: 'track', messageId: 'x' }, { type: 'nope' }, orderCompleted()] }, auth);
    expect(bad.response.status).toBe(200);
    expect(bad.body.accepted).toBe(1);
    expect(bad.body.rejected.map((r: { index: number }) => r.index)).toEqual([0, 1]);
    expect((await send('batch', { batch: 'x' }, auth)).response.status).toBe(400);
    expect((await send('batch', { batch: [{ type: 'track' }] }, auth)).response.status).toBe(422);
    expect((await send('nope', {}, auth)).response.status).toBe(404);
  });

  it('applies the policy to Segment consent: OneTrust categories in context.consent decide per destination', async () => {
    const policy = {
      version: 1,
      purposes: { analytics: {}, advertising: {} },
      jurisdictions: [{ id: 'all', match: { default: true }, model: 'opt-in', signals: { cmp: { analytics: ['C0002'], advertising: ['C0004'] } }, noSignal: { then: 'deny' } }],
      destinations: { meta: { requires: { all: ['advertising'] } }, lake: { requires: { all: ['analytics'] } } },
    };
    const put = await worker.fetch(new Request(`https://gw.example/v1/admin/sites/${site.id}/policy`, { method: 'PUT', headers: { authorization: `Bearer ${env.ADMIN_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(policy) }), env as Env, createExecutionContext());
    expect(put.status).toBeLessThan(300);
    clearPolicyCache();
    const analyticsOnly = { ...orderCompleted(), context: { ...orderCompleted().context, consent: { categoryPreferences: { C0002: true, C0004: false } } } };
    const none = orderCompleted();
    const { body, sent } = await send('batch', { batch: [analyticsOnly, none] }, { authorization: basic(SERVER_KEY) });
    expect(body.accepted).toBe(2);
    expect(itemsFor(sent, 'meta')).toEqual([]);
    const lake = itemsFor(sent, 'lake');
    expect(lake.map((r) => r.event_id)).toEqual([await eventIdFor(analyticsOnly.messageId)]);
  });

  it('leaves the Sluice SDK’s own /v1/batch wire format as it was', async () => {
    const { queue } = recordingQueue();
    const request = new Request(`https://gw.example/v1/batch?key=${WRITE_KEY}`, {
      method: 'POST',
      headers: { origin: ORIGIN, 'content-type': 'text/plain' },
      body: JSON.stringify({ sentAt: new Date().toISOString(), events: [{ type: 'track', event: 'Lead', eventId: crypto.randomUUID(), timestamp: new Date().toISOString(), anonymousId: 'a-1' }] }),
    });
    const response = await worker.fetch(request, { ...(env as Env), DELIVERY_META: queue, DELIVERY_WAREHOUSE: queue } as Env, createExecutionContext());
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ accepted: 1, duplicates: 0 });
  });
});
