import { createExecutionContext, createMessageBatch, env, getQueueResult, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import worker from '../src/index.ts';
import type { Env } from '../src/env.ts';
import { isBatchMessage, itemMessage, type DeliveryBatchMessage, type QueuedBody, type QueuedDelivery } from '../src/delivery/delivery-message.ts';
import { packBatchMessages, QUEUE_MESSAGE_MAX_BYTES } from '../src/delivery/pack-batch-messages.ts';
import { MAX_RETRIES } from '../src/delivery/delivery-units.ts';
import { injectFailure, purchase, received, seed, siteWithAll } from './destinations.ts';
import { putPolicy, recordingQueue, seedConsentSite, testPolicy } from './consent-fixtures.ts';
import { ORIGIN, WRITE_KEY, trackEvent } from './fixtures.ts';

/**
 * Issue 14, O(1) storage per batch: ingest queues one message per destination holding the batch's
 * items; the consumer keeps per item exactly the guarantees single-item messages had.
 */

const QUEUES = { meta: 'sluice-delivery-meta', ga4: 'sluice-delivery-ga4', ads: 'sluice-delivery-google-ads', tiktok: 'sluice-delivery-tiktok' } as const;

/** Counts the storage calls one request makes: D1 batches and single statements (with their SQL), ledger calls, queue sends. */
function countingEnv() {
  const counts = { d1Batches: 0, d1Statements: 0, d1Single: 0, d1SingleSql: [] as string[], ledgerCalls: 0, queueSends: 0 };
  // What each queue was sent, as sent (body and content type), before the recorder reads it.
  const raw: Record<string, MessageSendRequest<QueuedBody>[]> = {};
  const queues = { DELIVERY: recordingQueue(), DELIVERY_META: recordingQueue(), DELIVERY_GA4: recordingQueue(), DELIVERY_GOOGLE_ADS: recordingQueue(), DELIVERY_TIKTOK: recordingQueue() };
  const counted = Object.fromEntries(
    Object.entries(queues).map(([name, q]) => [name, { sendBatch: async (m: Iterable<MessageSendRequest<QueuedBody>>) => (counts.queueSends++, (raw[name] ??= []).push(...m), q.queue.sendBatch(m as never)), send: q.queue.send }]),
  );
  const db = env.DB;
  const DB = {
    prepare: (sql: string) => {
      const statement = db.prepare(sql);
      const wrap = (s: D1PreparedStatement): D1PreparedStatement =>
        new Proxy(s, {
          get(target, prop) {
            if (prop === 'bind') return (...args: unknown[]) => wrap(target.bind(...args));
            if (prop === 'run' || prop === 'all' || prop === 'first' || prop === 'raw') (counts.d1Single++, counts.d1SingleSql.push(sql));
            const value = Reflect.get(target, prop, target);
            return typeof value === 'function' ? value.bind(target) : value;
          },
        });
      return wrap(statement);
    },
    batch: (statements: D1PreparedStatement[]) => (counts.d1Batches++, (counts.d1Statements += statements.length), db.batch(statements)),
  };
  const EVENT_IDS = new Proxy(env.EVENT_IDS, {
    get(target, prop) {
      if (prop === 'get') {
        return (id: DurableObjectId) => {
          const stub = target.get(id);
          return new Proxy(stub, { get: (s, p) => ((p === 'claim' || p === 'release' || p === 'admit') && counts.ledgerCalls++, Reflect.get(s, p)) });
        };
      }
      const value = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  const bound = { ...(env as Env), ...counted, DB, EVENT_IDS } as unknown as Env;
  const sent = (name: keyof typeof queues) => queues[name].sent as DeliveryBatchMessage[];
  return { env: bound, counts, sent, raw };
}

async function postBatch(target: Env, writeKey: string, events: unknown[]) {
  const ctx = createExecutionContext();
  const response = await worker.fetch(
    new Request(`https://gw.example/v1/batch?key=${writeKey}`, { method: 'POST', headers: { origin: 'https://shop.example', 'content-type': 'text/plain', 'cf-connecting-ip': '203.0.113.7' }, body: JSON.stringify({ sentAt: new Date().toISOString(), events }) }),
    target,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return response;
}

/** Runs the real queue handler on messages (attempts given per message), optionally with an env of our own. */
async function consume(queue: string, bodies: QueuedBody[], attempts = 1, target: Env = env as Env) {
  const batch = createMessageBatch<QueuedBody>(queue, bodies.map((body) => ({ id: crypto.randomUUID(), timestamp: new Date(), attempts, body })));
  const ctx = createExecutionContext();
  await (worker as ExportedHandler<Env, QueuedBody>).queue!(batch, target, ctx);
  return getQueueResult(batch, ctx);
}

function metaIds(requests: Awaited<ReturnType<typeof received>>): string[] {
  return requests.filter((r) => !r.rejectedFor).flatMap((r) => JSON.parse(r.body).data.map((e: { event_id: string }) => e.event_id));
}

describe('ingest: storage work per batch is O(1) in events', () => {
  // A site without a policy of its own runs under the built-in default policy (issue 12), so its
  // decisions are audited too: every D1 write of the request (audit, subject index, plan
  // observations, metric counters) goes in one batch; the suppression list (data rights) is
  // checked in the one ledger call, so no D1 read is left.
  it('a 1-, 20- and 100-event batch to four destinations: one ledger call, one D1 batch, no other D1 call, one message per destination with all items', async () => {
    const site = siteWithAll('o1-site');
    await seed(site, 'o1_site_write_key');
    for (const size of [1, 20, 100]) {
      const { env: counting, counts, sent } = countingEnv();
      const events = Array.from({ length: size }, () => purchase());
      const response = await postBatch(counting, 'o1_site_write_key', events);
      expect(await response.json()).toMatchObject({ accepted: size, duplicates: 0 });
      expect(counts.ledgerCalls).toBe(1);
      expect(counts.d1Batches, `D1 batches at ${size}`).toBe(1);
      expect(counts.d1SingleSql, `single D1 statements at ${size}`).toEqual([]);
      let messagesSent = 0;
      for (const name of ['DELIVERY_META', 'DELIVERY_GA4', 'DELIVERY_GOOGLE_ADS', 'DELIVERY_TIKTOK'] as const) {
        const messages = sent(name);
        messagesSent += messages.length;
        // One message per destination, split only at the queue's message size limit (100 Meta items are ~150 KB).
        const bytes = messages.map((m) => new TextEncoder().encode(JSON.stringify(m)).byteLength);
        const total = bytes.reduce((a, b) => a + b, 0);
        expect(messages.length, `${name} at ${size}`).toBeLessThanOrEqual(Math.max(1, Math.ceil(total / (QUEUE_MESSAGE_MAX_BYTES - 8192))));
        for (const b of bytes) expect(b).toBeLessThanOrEqual(QUEUE_MESSAGE_MAX_BYTES);
        expect(messages.flatMap((m) => m.items.map((i) => i.eventId))).toEqual(events.map((e) => e.eventId));
        if (size <= 20) expect(messages).toHaveLength(1);
      }
      expect(counts.queueSends).toBeGreaterThanOrEqual(4);
      expect(counts.queueSends).toBeLessThanOrEqual(messagesSent);
    }
  });
});

describe('ingest under a consent policy: one D1 batch, receipts stored once', () => {
  it('20 events with the same signals: one D1 batch, no D1 read, one ledger call, one receipt per destination, 40 audit rows referencing them', async () => {
    await seedConsentSite();
    expect((await putPolicy(testPolicy())).status).toBe(200);
    const { env: counting, counts, sent } = countingEnv();
    // US-CA (opt-out): both Meta destinations allowed without a TC string.
    const events = Array.from({ length: 20 }, () => trackEvent());
    const ctx = createExecutionContext();
    const response = await worker.fetch(
      new Request(`https://gw.example/v1/batch?key=${WRITE_KEY}`, { method: 'POST', headers: { origin: ORIGIN, 'content-type': 'text/plain' }, body: JSON.stringify({ sentAt: new Date().toISOString(), events }), cf: { country: 'US', regionCode: 'CA' } } as RequestInit),
      counting,
      ctx,
    );
    await waitOnExecutionContext(ctx);
    expect(await response.json()).toMatchObject({ accepted: 20 });
    expect(counts.ledgerCalls).toBe(1);
    expect(counts.d1Batches).toBe(1);
    // No read: the suppression list (data rights) is checked in the ledger call; every write is in the batch.
    expect(counts.d1SingleSql).toEqual([]);
    const messages = sent('DELIVERY_META');
    expect(messages.map((m) => m.destinationKey).sort()).toEqual(['meta', 'meta_measurement']);
    // The receipt hash and expiry all items share are written once, on the message (issue 14, smaller messages).
    for (const m of messages) {
      expect(m.receiptHash).toMatch(/^[0-9a-f]{64}$/);
      expect(m.expiresAt).toBeGreaterThan(Date.now());
      expect(m.items.every((i) => i.receiptHash === undefined && i.expiresAt === undefined)).toBe(true);
    }
    const hashes = new Set(messages.flatMap((m) => m.items.map((i) => itemMessage(m, i).receiptHash)));
    expect(hashes.size).toBe(2);
    const ids = events.map((e) => `'${e.eventId}'`).join(',');
    const audit = await env.DB.prepare(`SELECT COUNT(*) AS n, COUNT(DISTINCT receipt_hash) AS r FROM consent_audit WHERE event_id IN (${ids})`).first<{ n: number; r: number }>();
    expect(audit).toEqual({ n: 40, r: 2 });
    const receipts = await env.DB.prepare(`SELECT COUNT(*) AS n FROM consent_receipts WHERE hash IN (${[...hashes].map((h) => `'${h}'`).join(',')})`).first<{ n: number }>();
    expect(receipts!.n).toBe(2);
    // One stored audit row per receipt (two here), not 40 (migration 0017); the view still reads 40.
    const stored = await env.DB.prepare(`SELECT COUNT(*) AS n FROM consent_audit_batches WHERE receipt_hash IN (${[...hashes].map((h) => `'${h}'`).join(',')})`).first<{ n: number }>();
    expect(stored!.n).toBe(2);
    // Every receipt outlives the audit rows that reference it (its expiry moves at most once a day).
    const outlived = await env.DB.prepare('SELECT COUNT(*) AS n FROM consent_audit a JOIN consent_receipts r ON r.site_id = a.site_id AND r.hash = a.receipt_hash WHERE r.expires_at < a.expires_at').first<{ n: number }>();
    expect(outlived!.n).toBe(0);
  });
});

describe('packBatchMessages', () => {
  it('splits only where a message would pass the 128 KB queue limit', () => {
    const items = Array.from({ length: 300 }, (_, i) => ({ eventId: `id-${i}`, item: { pad: 'x'.repeat(1000) } }));
    const messages = packBatchMessages('s', 'meta', items);
    expect(messages.length).toBe(3);
    for (const m of messages) expect(new TextEncoder().encode(JSON.stringify(m)).byteLength).toBeLessThanOrEqual(QUEUE_MESSAGE_MAX_BYTES);
    expect(messages.flatMap((m) => m.items)).toEqual(items);
    expect(packBatchMessages('s', 'meta', items.slice(0, 20))).toHaveLength(1);
  });
});

describe('consumer: batch messages keep the per-item guarantees', () => {
  it('delivers a batch message in one vendor request, acks it, and a redelivery sends nothing twice', async () => {
    const site = siteWithAll('bm-deliver');
    await seed(site, 'bm_deliver_write_key');
    const { env: counting, sent } = countingEnv();
    const events = Array.from({ length: 20 }, () => purchase());
    await postBatch(counting, 'bm_deliver_write_key', events);
    const [message] = sent('DELIVERY_META');
    const pixel = (site.destinations.meta as { pixelId: string }).pixelId;
    const first = await consume(QUEUES.meta, [message!]);
    expect(first.explicitAcks).toHaveLength(1);
    expect(first.retryMessages).toHaveLength(0);
    expect((await received('meta', pixel)).length).toBe(1);
    expect(metaIds(await received('meta', pixel)).sort()).toEqual(events.map((e) => e.eventId).sort());
    // The queue redelivers (at-least-once): the delivered ledger acks it without sending again.
    const again = await consume(QUEUES.meta, [message!], 2);
    expect(again.explicitAcks).toHaveLength(1);
    expect((await received('meta', pixel)).length).toBe(1);
  });

  it('a stale item is dead-lettered alone with its reason while the rest are delivered', async () => {
    const site = siteWithAll('bm-stale');
    await seed(site, 'bm_stale_write_key');
    const { env: counting, sent } = countingEnv();
    const old = purchase({ timestamp: new Date(Date.now() - 8 * 86_400_000).toISOString() });
    const fresh = [purchase(), purchase()];
    await postBatch(counting, 'bm_stale_write_key', [fresh[0], old, fresh[1]]);
    const result = await consume(QUEUES.meta, sent('DELIVERY_META'));
    expect(result.explicitAcks).toHaveLength(1);
    expect(metaIds(await received('meta', (site.destinations.meta as { pixelId: string }).pixelId)).sort()).toEqual(fresh.map((e) => e.eventId).sort());
    const letter = await env.DB.prepare('SELECT reason FROM dead_letters WHERE site_id = ? AND event_id = ?').bind(site.id, old.eventId).first<{ reason: string }>();
    expect(letter?.reason).toContain('older than 7 days');
  });

  it('a whole-message retryable failure retries the message (the queue counts its attempts)', async () => {
    const site = siteWithAll('bm-retry');
    await seed(site, 'bm_retry_write_key');
    const { env: counting, sent } = countingEnv();
    await postBatch(counting, 'bm_retry_write_key', [purchase(), purchase()]);
    await injectFailure('meta', { match: (site.destinations.meta as { pixelId: string }).pixelId, count: 1, status: 503, body: {} });
    const result = await consume(QUEUES.meta, sent('DELIVERY_META'));
    expect(result.explicitAcks).toHaveLength(0);
    expect(result.retryMessages).toHaveLength(1);
  });

  it('when only some items must retry, the rest is re-queued as a new message carrying its attempts, and the original is acked', async () => {
    const site = siteWithAll('bm-partial');
    await seed(site, 'bm_partial_write_key');
    const { env: counting, sent } = countingEnv();
    // GA4 sends one request per client: two browsers, two requests; the second fails with a 500.
    const a = [purchase({ anonymousId: 'browser-a' }), purchase({ anonymousId: 'browser-a' })];
    const b = [purchase({ anonymousId: 'browser-b', context: { ...purchase().context, cookies: { ga: 'GA1.1.222222222.1700000000' } } })];
    await postBatch(counting, 'bm_partial_write_key', [...a, ...b]);
    const [message] = sent('DELIVERY_GA4');
    expect(message!.items).toHaveLength(3);
    await injectFailure('ga4', { match: '222222222', count: 1, status: 500, body: {} });
    const requeue = countingEnv();
    const result = await consume(QUEUES.ga4, [message!], 3, requeue.env);
    expect(result.explicitAcks).toHaveLength(1);
    expect(result.retryMessages).toHaveLength(0);
    const [rest] = requeue.sent('DELIVERY_GA4');
    expect(rest!.items.map((i) => i.eventId)).toEqual(b.map((e) => e.eventId));
    expect(rest!.priorAttempts).toBe(3);
    // The remainder is delivered on its next run, and nothing of the first part twice.
    const second = await consume(QUEUES.ga4, [rest!]);
    expect(second.explicitAcks).toHaveLength(1);
    const measurement = (site.destinations.ga4 as { measurementId: string }).measurementId;
    const ids = (await received('ga4', measurement)).filter((r) => !r.rejectedFor).flatMap((r) => JSON.parse(r.body).events.map((e: any) => e.params.transaction_id));
    expect(ids.sort()).toEqual([...a, ...b].map((e) => `order-${e.eventId}`).sort());
  });

  it('an item past max_retries counting its prior attempts is dead-lettered with the reason, not retried again', async () => {
    const site = siteWithAll('bm-exhausted');
    await seed(site, 'bm_exhausted_write_key');
    const { env: counting, sent } = countingEnv();
    const event = purchase();
    await postBatch(counting, 'bm_exhausted_write_key', [event]);
    const message = { ...sent('DELIVERY_META')[0]!, priorAttempts: MAX_RETRIES };
    await injectFailure('meta', { match: (site.destinations.meta as { pixelId: string }).pixelId, count: 1, status: 429, body: { error: { code: 4, message: 'Application request limit reached', is_transient: true } } });
    const result = await consume(QUEUES.meta, [message], 1);
    expect(result.explicitAcks).toHaveLength(1);
    const letter = await env.DB.prepare('SELECT reason FROM dead_letters WHERE site_id = ? AND event_id = ?').bind(site.id, event.eventId).first<{ reason: string }>();
    expect(letter?.reason).toMatch(/retries exhausted after 9 attempts; last: /);
  });

  it('the dead-letter queue stores every item of a batch message, each with the reason', async () => {
    const site = siteWithAll('bm-dlq');
    await seed(site, 'bm_dlq_write_key');
    const { env: counting, sent } = countingEnv();
    const events = [purchase(), purchase(), purchase()];
    await postBatch(counting, 'bm_dlq_write_key', events);
    const result = await consume('sluice-delivery-dlq', sent('DELIVERY_TIKTOK'), 9);
    expect(result.explicitAcks).toHaveLength(1);
    const { results } = await env.DB.prepare('SELECT event_id, reason FROM dead_letters WHERE site_id = ? AND destination = ?').bind(site.id, 'tiktok').all<{ event_id: string; reason: string }>();
    expect(results.map((r) => r.event_id).sort()).toEqual(events.map((e) => e.eventId).sort());
    expect(results.every((r) => r.reason.startsWith('retries exhausted after 9 attempts'))).toBe(true);
    const status = await (await worker.fetch(new Request(`https://gw.example/v1/admin/sites/${site.id}/destinations/status`, { headers: { authorization: `Bearer ${env.ADMIN_TOKEN}` } }), env as Env, createExecutionContext())).json<any>();
    expect(status.destinations.tiktok.deadLettered).toBe(3);
    expect(status.destinations.tiktok.openDeadLetters).toBe(3);
  });

  it('ingest sends each batch message once serialized, as JSON text equal to the message; the consumer and the dead-letter queue read that text', async () => {
    const site = siteWithAll('bm-text');
    await seed(site, 'bm_text_write_key');
    const { env: counting, sent, raw } = countingEnv();
    const events = Array.from({ length: 5 }, () => purchase());
    await postBatch(counting, 'bm_text_write_key', events);
    for (const name of ['DELIVERY_META', 'DELIVERY_GA4', 'DELIVERY_GOOGLE_ADS', 'DELIVERY_TIKTOK'] as const) {
      expect(raw[name]).toHaveLength(1);
      expect(raw[name]![0]!.contentType).toBe('text');
      expect(JSON.parse(raw[name]![0]!.body as string)).toEqual(sent(name)[0]);
    }
    const pixel = (site.destinations.meta as { pixelId: string }).pixelId;
    const delivered = await consume(QUEUES.meta, [raw.DELIVERY_META![0]!.body]);
    expect(delivered.explicitAcks).toHaveLength(1);
    expect(metaIds(await received('meta', pixel)).sort()).toEqual(events.map((e) => e.eventId).sort());
    const dead = await consume('sluice-delivery-dlq', [raw.DELIVERY_TIKTOK![0]!.body], 9);
    expect(dead.explicitAcks).toHaveLength(1);
    const { results } = await env.DB.prepare('SELECT event_id FROM dead_letters WHERE site_id = ? AND destination = ?').bind(site.id, 'tiktok').all<{ event_id: string }>();
    expect(results.map((r) => r.event_id).sort()).toEqual(events.map((e) => e.eventId).sort());
  });

  it('single-item messages (queued before batch messages existed) are still consumed', async () => {
    const site = siteWithAll('bm-legacy');
    await seed(site, 'bm_legacy_write_key');
    const { env: counting, sent } = countingEnv();
    const event = purchase();
    await postBatch(counting, 'bm_legacy_write_key', [event]);
    const batch = sent('DELIVERY_META')[0]!;
    expect(isBatchMessage(batch)).toBe(true);
    const legacy = { siteId: batch.siteId, destinationKey: batch.destinationKey, ...batch.items[0]! };
    const result = await consume(QUEUES.meta, [legacy]);
    expect(result.explicitAcks).toHaveLength(1);
    expect(metaIds(await received('meta', (site.destinations.meta as { pixelId: string }).pixelId))).toEqual([event.eventId]);
  });
});

describe('packBatchMessages: shared fields once per message', () => {
  it('hoists a receipt hash and expiry only when every item has the same, and itemMessage gives each item back whole', () => {
    const same = Array.from({ length: 5 }, (_, i) => ({ eventId: `e${i}`, item: { n: i }, receiptHash: 'a'.repeat(64), expiresAt: 1000 }));
    const [one] = packBatchMessages('s', 'meta', same);
    expect(one).toMatchObject({ receiptHash: 'a'.repeat(64), expiresAt: 1000 });
    expect(one!.items.map((i) => itemMessage(one!, i))).toEqual(same.map((i) => ({ siteId: 's', destinationKey: 'meta', ...i })));
    // Mixed receipts (two consent states in one batch): each item keeps its own; the common expiry is still hoisted.
    const mixed = same.map((i, n) => ({ ...i, receiptHash: (n % 2 ? 'b' : 'a').repeat(64) }));
    const [two] = packBatchMessages('s', 'meta', mixed);
    expect(two!.receiptHash).toBeUndefined();
    expect(two!.expiresAt).toBe(1000);
    expect(two!.items.map((i) => itemMessage(two!, i))).toEqual(mixed.map((i) => ({ siteId: 's', destinationKey: 'meta', ...i })));
    // Split at the size limit: every part carries the shared fields.
    const big = Array.from({ length: 40 }, (_, i) => ({ eventId: `b${i}`, item: { pad: 'x'.repeat(4000) }, receiptHash: 'c'.repeat(64), expiresAt: 7 }));
    const parts = packBatchMessages('s', 'meta', big, 64_000);
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.flatMap((m) => m.items.map((i) => itemMessage(m, i)))).toEqual(big.map((i) => ({ siteId: 's', destinationKey: 'meta', ...i })));
  });
});
