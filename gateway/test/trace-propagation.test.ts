import { createExecutionContext, createMessageBatch, env, getQueueResult, waitOnExecutionContext } from 'cloudflare:test';
import { afterEach, describe, expect, it, vi } from 'vitest';
import worker from '../src/index.ts';
import type { Env } from '../src/env.ts';
import type { DeliveryBatchMessage, QueuedDelivery } from '../src/delivery/delivery-message.ts';
import { parseTraceparent } from '../src/observability/traceparent.ts';
import { messageFor, purchase, received, seed, siteWithAll } from './destinations.ts';
import { recordingQueue } from './consent-fixtures.ts';

/**
 * Issue 13: the ingest request's W3C trace crosses the delivery queue. The vendor POST is a child
 * span of the ingest request's span: same trace id, a fresh span id.
 */

const INCOMING = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

/** POSTs one batch through the real worker with the delivery queues recorded; returns the answer and what was queued. */
async function ingest(writeKey: string, events: unknown[], headers: Record<string, string> = {}) {
  const queues = { DELIVERY: recordingQueue(), DELIVERY_META: recordingQueue(), DELIVERY_GA4: recordingQueue(), DELIVERY_GOOGLE_ADS: recordingQueue(), DELIVERY_TIKTOK: recordingQueue() };
  const bound = { ...(env as Env), ...Object.fromEntries(Object.entries(queues).map(([name, q]) => [name, q.queue])) } as unknown as Env;
  const ctx = createExecutionContext();
  const response = await worker.fetch(
    new Request(`https://gw.example/v1/batch?key=${writeKey}`, {
      method: 'POST',
      headers: { origin: 'https://shop.example', 'content-type': 'text/plain', 'cf-connecting-ip': '203.0.113.7', ...headers },
      body: JSON.stringify({ sentAt: new Date().toISOString(), events }),
    }),
    bound,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  const sent = (name: keyof typeof queues) => queues[name].sent as DeliveryBatchMessage[];
  return { response, sent };
}

async function consume(queue: string, bodies: QueuedDelivery[]) {
  const batch = createMessageBatch<QueuedDelivery>(queue, bodies.map((body) => ({ id: crypto.randomUUID(), timestamp: new Date(), attempts: 1, body })));
  const ctx = createExecutionContext();
  await (worker as ExportedHandler<Env, QueuedDelivery>).queue!(batch, env as Env, ctx);
  return getQueueResult(batch, ctx);
}

/** The `traceparent` the sink received on the vendor request carrying `eventId`. */
async function vendorTrace(sink: 'meta' | 'tiktok', eventId: string) {
  const requests = (await received(sink, eventId)).filter((r) => !r.rejectedFor);
  expect(requests).toHaveLength(1);
  return parseTraceparent(requests[0]!.headers.traceparent);
}

afterEach(() => vi.restoreAllMocks());

describe('traceparent across the delivery queue', () => {
  it('an incoming traceparent: the queued message carries the request span, the vendor POST is its child (same trace id, new span id), logged by the consumer', async () => {
    const site = siteWithAll('trace-in-site');
    await seed(site, 'trace_in_write_key');
    const event = purchase();
    const { response, sent } = await ingest('trace_in_write_key', [event], { traceparent: INCOMING });
    expect(await response.json()).toMatchObject({ accepted: 1 });
    const answered = parseTraceparent(response.headers.get('traceparent'))!;
    expect(answered.traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');

    const [meta] = sent('DELIVERY_META');
    expect(meta!.traceparent).toBe(response.headers.get('traceparent'));
    expect(meta!.traceparent).toHaveLength(55);
    const [tiktok] = sent('DELIVERY_TIKTOK');
    expect(tiktok!.traceparent).toBe(meta!.traceparent);

    const log = vi.spyOn(console, 'log');
    expect((await consume('sluice-delivery-meta', [meta!])).explicitAcks).toHaveLength(1);
    expect((await consume('sluice-delivery-tiktok', [tiktok!])).explicitAcks).toHaveLength(1);
    for (const sink of ['meta', 'tiktok'] as const) {
      const vendor = (await vendorTrace(sink, event.eventId))!;
      expect(vendor.traceId, sink).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
      expect(vendor.spanId, sink).not.toBe('00f067aa0ba902b7');
      expect(vendor.spanId, sink).not.toBe(answered.spanId);
      expect(vendor.spanId, sink).toMatch(/^[0-9a-f]{16}$/);
    }
    const lines = log.mock.calls.map(([line]) => String(line)).filter((line) => line.includes('"destination post"'));
    expect(lines.length).toBeGreaterThanOrEqual(2);
    for (const line of lines) expect(JSON.parse(line).traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
  });

  it('no incoming traceparent: the trace ingest started reaches the sink', async () => {
    const site = siteWithAll('trace-new-site');
    await seed(site, 'trace_new_write_key');
    const event = purchase();
    const { response, sent } = await ingest('trace_new_write_key', [event]);
    expect(await response.json()).toMatchObject({ accepted: 1 });
    const started = parseTraceparent(response.headers.get('traceparent'))!;
    expect(started.traceId).not.toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    await consume('sluice-delivery-meta', sent('DELIVERY_META'));
    const vendor = (await vendorTrace('meta', event.eventId))!;
    expect(vendor.traceId).toBe(started.traceId);
    expect(vendor.spanId).not.toBe(started.spanId);
  });

  it('a message without trace context (old format, dead-letter replay) still sends a valid traceparent, in a trace of its own', async () => {
    const site = siteWithAll('trace-old-site');
    await seed(site);
    const event = purchase();
    const message = (await messageFor(site, 'meta', event))!;
    expect(message.traceparent).toBeUndefined();
    await consume('sluice-delivery-meta', [message]);
    const vendor = await vendorTrace('meta', event.eventId);
    expect(vendor?.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(vendor?.traceId).not.toBe('4bf92f3577b34da6a3ce929d0e0e4736');
  });
});
