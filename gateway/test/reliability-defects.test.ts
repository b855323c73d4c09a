import { SELF, createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import worker from '../src/index.ts';
import type { Env } from '../src/env.ts';
import { MAX_PROPERTY_DEPTH } from '@sluice/protocol';
import { clearSiteConfigCache, loadSiteByWriteKey, siteConfigCacheSize, SITE_CONFIG_CACHE_MAX } from '../src/site-config/load-site-config.ts';
import { ORIGIN, WRITE_KEY, batchOf, post, seedSite, site, trackEvent } from './fixtures.ts';
import { ADMIN, ingest, putPolicy, recordingQueue, seedConsentSite, testPolicy } from './consent-fixtures.ts';
import { makeTcString } from '../../consent/src/testing/make-tc-string.ts';

/** Issue 14, "reliability defects found by probing the running stack": one block per defect. */

function nested(depth: number): Record<string, unknown> {
  let value: Record<string, unknown> = { leaf: 1 };
  for (let i = 0; i < depth; i++) value = { a: value };
  return value;
}

async function json(response: Response) {
  return (await response.json()) as Record<string, any>;
}

const fullTc = () => makeTcString({ purposeConsents: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], purposeLegitimateInterests: [2, 7, 8, 9, 10, 11], vendorConsents: [755], vendorLegitimateInterests: [755] });

describe('1. deeply nested properties', () => {
  beforeEach(async () => {
    await seedConsentSite();
    expect((await putPolicy(testPolicy())).status).toBe(200);
  });

  it('are a per-event 422 reason at validation; the good events beside them are accepted under a policy', async () => {
    const deep = trackEvent({ properties: nested(3000), consent: { tcString: fullTc() } });
    expect(JSON.stringify(deep.properties).length).toBeLessThan(32 * 1024);
    const good = trackEvent({ consent: { tcString: fullTc() } });
    const { response, sent } = await ingest([deep, good], { cf: { country: 'DE' } });
    expect(response.status).toBe(200);
    const body = await json(response);
    expect(body).toMatchObject({ accepted: 1, duplicates: 0 });
    expect(body.rejected).toEqual([expect.objectContaining({ index: 1 - 1, code: 'invalid_event' })]);
    expect(body.rejected[0].message).toContain(`${MAX_PROPERTY_DEPTH}`);
    expect(sent.map((m) => m.eventId)).toContain(good.eventId);
  });

  it('a batch of only a too-deep event is 422, never 503', async () => {
    const { response } = await ingest([trackEvent({ properties: nested(200) })], { cf: { country: 'US' } });
    expect(response.status).toBe(422);
    expect((await json(response)).error.code).toBe('invalid_event');
  });

  it('nesting up to the limit is accepted and delivered', async () => {
    const { response } = await ingest([trackEvent({ properties: nested(MAX_PROPERTY_DEPTH - 2), consent: { tcString: fullTc() } })], { cf: { country: 'DE' } });
    expect((await json(response)).accepted).toBe(1);
  });
});

describe('1b. only our own storage answers 503', () => {
  beforeEach(() => seedSite());

  it('a queue that fails is a 503 with Retry-After and a logged cause; a bug in request handling is not', async () => {
    const logged: string[] = [];
    const spy = vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void logged.push(args.join(' ')));
    try {
      const failing = { sendBatch: async () => { throw new Error('Queue send failed: Too Many Requests'); }, send: async () => { throw new Error('x'); } };
      const broken = { ...(env as Env), DELIVERY_META: failing } as unknown as Env;
      const event = trackEvent({ user: { email: 'jane.cause@example.com' } });
      const ctx = createExecutionContext();
      const response = await worker.fetch(post(batchOf([event])), broken, ctx);
      await waitOnExecutionContext(ctx);
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toMatch(/^\d+$/);
      expect((await json(response)).error.code).toBe('unavailable');
      const line = logged.find((l) => l.includes('storage unavailable'));
      expect(line, logged.join('\n')).toBeDefined();
      expect(line).toContain('queue');
      expect(logged.join('\n')).not.toContain('jane.cause');
      // The retry of the 503'd batch is accepted once, not taken for a duplicate.
      const { sent, queue } = recordingQueue();
      const ok = await worker.fetch(post(batchOf([event])), { ...(env as Env), DELIVERY_META: queue } as Env, createExecutionContext());
      expect(await json(ok)).toMatchObject({ accepted: 1, duplicates: 0 });
      expect(sent.flatMap(itemsOf).map((i) => i.eventId)).toEqual([event.eventId]);
      const again = await worker.fetch(post(batchOf([event])), { ...(env as Env), DELIVERY_META: queue } as Env, createExecutionContext());
      expect(await json(again)).toMatchObject({ accepted: 0, duplicates: 1 });
      expect(sent.flatMap(itemsOf)).toHaveLength(1);
    } finally {
      spy.mockRestore();
    }
  });
});

/** Items of a queued message in either format (one item, or a batch of items). */
function itemsOf(message: any): Array<{ eventId: string; item: any }> {
  return Array.isArray(message.items) ? message.items : [{ eventId: message.eventId, item: message.item }];
}

describe('2. the same event id twice in one batch', () => {
  beforeEach(() => seedSite());

  it('counts the repeat as a duplicate and queues the event once', async () => {
    const { sent, queue } = recordingQueue();
    const event = trackEvent();
    const response = await worker.fetch(post(batchOf([event, { ...event }, trackEvent()])), { ...(env as Env), DELIVERY_META: queue } as Env, createExecutionContext());
    expect(await json(response)).toMatchObject({ accepted: 2, duplicates: 1 });
    expect(sent.flatMap(itemsOf).filter((i) => i.eventId === event.eventId)).toHaveLength(1);
  });
});

/** A stored Meta item as dead letters keep it (hashed, no IP). */
const metaPayload = () => JSON.stringify({ event_name: 'Purchase', event_time: Math.floor(Date.now() / 1000), action_source: 'website', user_data: { external_id: ['a'.repeat(64)] } });

describe('3. dead-letter replay with a bad body', () => {
  beforeEach(() => seedSite());

  it('answers 400 for a body that is not JSON, empty or truncated, and replays nothing', async () => {
    await env.DB.prepare('INSERT INTO dead_letters (site_id, destination, event_id, reason, payload, created_at) VALUES (?, ?, ?, ?, ?, ?)')
      .bind(site.id, 'meta', crypto.randomUUID(), 'test', metaPayload(), Date.now())
      .run();
    for (const body of ['', 'not json', '{"ids": [1,', '[]', '"x"', 'null']) {
      const response = await SELF.fetch(`https://gw.example/v1/admin/sites/${site.id}/dead-letters/replay`, { method: 'POST', headers: ADMIN, body });
      expect(response.status, `body ${JSON.stringify(body)}`).toBe(400);
      expect(typeof (await json(response)).error.code).toBe('string');
    }
    const open = await env.DB.prepare('SELECT COUNT(*) AS n FROM dead_letters WHERE site_id = ? AND replayed_at IS NULL').bind(site.id).first<{ n: number }>();
    expect(open!.n).toBeGreaterThanOrEqual(1);
  });

  it('replays only the ids asked for', async () => {
    const ids: number[] = [];
    for (let i = 0; i < 3; i++) {
      const row = await env.DB.prepare('INSERT INTO dead_letters (site_id, destination, event_id, reason, payload, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id')
        .bind(site.id, 'meta', crypto.randomUUID(), 'test', metaPayload(), Date.now())
        .first<{ id: number }>();
      ids.push(row!.id);
    }
    const response = await SELF.fetch(`https://gw.example/v1/admin/sites/${site.id}/dead-letters/replay`, { method: 'POST', headers: ADMIN, body: JSON.stringify({ ids: [ids[1]] }) });
    expect(await json(response)).toEqual({ replayed: 1, skipped: 0 });
    const { results } = await env.DB.prepare(`SELECT id FROM dead_letters WHERE id IN (${ids.join(',')}) AND replayed_at IS NOT NULL`).all<{ id: number }>();
    expect(results.map((r) => r.id)).toEqual([ids[1]]);
  });
});

describe('3b. replay leaves stale letters alone', () => {
  beforeEach(() => seedSite());

  it('does not replay an item the vendor would refuse for its age', async () => {
    const old = Math.floor(Date.now() / 1000) - 8 * 86_400;
    const row = await env.DB.prepare('INSERT INTO dead_letters (site_id, destination, event_id, reason, payload, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id')
      .bind(site.id, 'meta', crypto.randomUUID(), 'stale', JSON.stringify({ event_name: 'Purchase', event_time: old, user_data: {} }), Date.now())
      .first<{ id: number }>();
    const response = await SELF.fetch(`https://gw.example/v1/admin/sites/${site.id}/dead-letters/replay`, { method: 'POST', headers: ADMIN, body: JSON.stringify({ ids: [row!.id] }) });
    expect(await json(response)).toEqual({ replayed: 0, skipped: 1 });
  });
});

describe('4. URLs and referrers are scrubbed without a policy', () => {
  beforeEach(() => seedSite());

  it('drops personal query parameters and keeps click ids, policy or not', async () => {
    const { sent, queue } = recordingQueue();
    const event = trackEvent({
      context: {
        page: {
          url: 'https://shop.example/checkout?email=jane.url%40example.com&phone=%2B16505550100&fbclid=FB1&utm_source=news',
          referrer: 'https://mail.example/inbox?user=jane.url@example.com&tel=0650555',
        },
        userAgent: 'UA',
      },
    });
    const response = await worker.fetch(post(batchOf([event])), { ...(env as Env), DELIVERY_META: queue } as Env, createExecutionContext());
    expect((await json(response)).accepted).toBe(1);
    const item = itemsOf(sent[0])[0]!.item;
    expect(item.event_source_url).toBe('https://shop.example/checkout?fbclid=FB1&utm_source=news');
    expect(JSON.stringify(sent)).not.toMatch(/jane\.url|6505550100|0650555/);
  });
});

describe('5. ids on admin routes', () => {
  it('a site id past its length limit or with a foreign charset is 400, never 500', async () => {
    for (const id of ['x'.repeat(600), 'x'.repeat(64), 'Bad_Id', 'a.b', '%00']) {
      for (const path of ['dead-letters', 'destinations/status', 'dedup-audit', 'policy']) {
        const response = await SELF.fetch(`https://gw.example/v1/admin/sites/${id}/${path}`, { headers: ADMIN });
        expect(response.status, `${id.slice(0, 10)} ${path}`).toBe(400);
        expect((await json(response)).error.code).toBe('invalid_id');
      }
    }
    // At the limit (63 chars) the id is well-formed: an unknown site, 404.
    const at = await SELF.fetch(`https://gw.example/v1/admin/sites/${'a'.repeat(63)}/dead-letters`, { headers: ADMIN });
    expect(at.status).toBe(404);
  });
});

describe('6. a body cut off mid-stream', () => {
  beforeEach(() => seedSite());

  it('is a 400 with the error shape', async () => {
    const bytes = new TextEncoder().encode(JSON.stringify(batchOf([trackEvent()])).slice(0, 40));
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes);
        controller.error(new Error('connection reset'));
      },
    });
    const response = await worker.fetch(
      new Request(`https://gw.example/v1/batch?key=${WRITE_KEY}`, { method: 'POST', headers: { origin: ORIGIN, 'content-type': 'text/plain' }, body, duplex: 'half' } as RequestInit),
      env as Env,
      createExecutionContext(),
    );
    expect(response.status).toBe(400);
    expect((await json(response)).error.code).toBe('body_incomplete');
  });
});

describe('7. server-side senders', () => {
  const SECRET = 'test-source-secret-0123456789';
  beforeEach(() => seedSite({ ...site, sourceSecret: 'SOURCE_SECRET_TEST' }));
  const withSecret = { ...(env as Env), SOURCE_SECRET_TEST: SECRET } as Env;
  const serverPost = (headers: Record<string, string>) =>
    new Request('https://gw.example/v1/batch', { method: 'POST', headers: { 'content-type': 'application/json', 'x-sluice-key': WRITE_KEY, ...headers }, body: JSON.stringify(batchOf([trackEvent()])) });

  it('authenticate with the write key and the source secret, without Origin, and get no CORS grant', async () => {
    const response = await worker.fetch(serverPost({ authorization: `Bearer ${SECRET}` }), withSecret, createExecutionContext());
    expect(response.status).toBe(200);
    expect((await json(response)).accepted).toBe(1);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('a wrong or missing source secret is 401; no Origin and no secret stays 403', async () => {
    const wrong = await worker.fetch(serverPost({ authorization: 'Bearer nope' }), withSecret, createExecutionContext());
    expect(wrong.status).toBe(401);
    expect((await json(wrong)).error.code).toBe('unauthorized');
    const none = await worker.fetch(serverPost({}), withSecret, createExecutionContext());
    expect(none.status).toBe(403);
    // A site without a source secret configured never accepts one.
    await seedSite();
    const unconfigured = await worker.fetch(serverPost({ authorization: `Bearer ${SECRET}` }), withSecret, createExecutionContext());
    expect(unconfigured.status).toBe(401);
  });
});

describe('9. the site-config cache', () => {
  beforeEach(() => seedSite());
  afterEach(() => clearSiteConfigCache());

  it('is bounded: random write keys cannot grow it past its size', async () => {
    clearSiteConfigCache();
    for (let i = 0; i < SITE_CONFIG_CACHE_MAX + 50; i++) await loadSiteByWriteKey(env.CONFIG, `random_key_${i}_xxxxxxxx`);
    expect(siteConfigCacheSize()).toBeLessThanOrEqual(SITE_CONFIG_CACHE_MAX);
    // The real key still resolves (recently used entries survive, misses are re-read after their short TTL).
    expect((await loadSiteByWriteKey(env.CONFIG, WRITE_KEY))?.id).toBe(site.id);
  });

  it('caches a miss only briefly: a key created after a miss works within seconds', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      clearSiteConfigCache();
      const key = 'late_key_0000001';
      expect(await loadSiteByWriteKey(env.CONFIG, key)).toBeNull();
      await env.CONFIG.put(`writekey:${key}`, site.id);
      expect(await loadSiteByWriteKey(env.CONFIG, key)).toBeNull();
      vi.setSystemTime(Date.now() + 6_000);
      expect((await loadSiteByWriteKey(env.CONFIG, key))?.id).toBe(site.id);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('10. the local stack', () => {
  it('seeds a demo site with all four destinations that the gateway accepts', async () => {
    const { SiteConfig } = await import('../src/site-config/site-config.ts');
    const { demoSiteConfigAllDestinations } = await import('../../examples/local-stack/demo-site.ts');
    const parsed = SiteConfig.safeParse(demoSiteConfigAllDestinations(8787));
    expect(parsed.error?.issues).toBeUndefined();
    expect(Object.values(parsed.data!.destinations).map((d) => d.type).sort()).toEqual(['ga4', 'google_ads', 'meta', 'tiktok']);
  });
});

describe("8b. a 503'd batch that partly reached a queue", () => {
  it('is delivered exactly once per destination after the client retries', async () => {
    const { siteWithAll, seed: seedAll, received } = await import('./destinations.ts');
    const { createMessageBatch, getQueueResult } = await import('cloudflare:test');
    const multi = siteWithAll('partial-503');
    await seedAll(multi, 'partial_503_write_key');
    const meta = recordingQueue();
    const tiktok = recordingQueue();
    const failingTikTok = { sendBatch: async () => { throw new Error('Queue send failed'); }, send: async () => { throw new Error('x'); } };
    const events = [trackEvent(), trackEvent()];
    const send = (queues: Partial<Env>) =>
      worker.fetch(
        new Request('https://gw.example/v1/batch?key=partial_503_write_key', { method: 'POST', headers: { origin: 'https://shop.example' }, body: JSON.stringify(batchOf(events)) }),
        { ...(env as Env), DELIVERY_GA4: recordingQueue().queue, DELIVERY_GOOGLE_ADS: recordingQueue().queue, ...queues } as Env,
        createExecutionContext(),
      );
    const spy = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      expect((await send({ DELIVERY_META: meta.queue, DELIVERY_TIKTOK: failingTikTok as unknown as Queue })).status).toBe(503);
    } finally {
      spy.mockRestore();
    }
    expect(await json(await send({ DELIVERY_META: meta.queue, DELIVERY_TIKTOK: tiktok.queue }))).toMatchObject({ accepted: 2, duplicates: 0 });
    // Meta got the batch twice (once before the failure, once on the retry); the consumer sends it once.
    expect(meta.sent).toHaveLength(2);
    for (const copy of meta.sent) {
      const batch = createMessageBatch('sluice-delivery-meta', [{ id: crypto.randomUUID(), timestamp: new Date(), attempts: 1, body: copy }]);
      const ctx = createExecutionContext();
      await worker.queue!(batch as never, env as Env, ctx);
      expect((await getQueueResult(batch, ctx)).explicitAcks).toHaveLength(1);
    }
    const pixel = (multi.destinations.meta as { pixelId: string }).pixelId;
    const ids = (await received('meta', pixel)).filter((r) => !r.rejectedFor).flatMap((r) => JSON.parse(r.body).data.map((e: { event_id: string }) => e.event_id));
    expect(ids.sort()).toEqual(events.map((e) => e.eventId as string).sort());
    expect(tiktok.sent.flatMap(itemsOf)).toHaveLength(2);
  });
});
