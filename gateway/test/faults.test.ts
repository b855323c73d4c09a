import { createExecutionContext, createMessageBatch, env, getQueueResult, runInDurableObject, waitOnExecutionContext } from 'cloudflare:test';
import { afterEach, describe, expect, it } from 'vitest';
import worker from '../src/index.ts';
import type { Env } from '../src/env.ts';
import type { QueuedDelivery } from '../src/delivery/delivery-message.ts';
import { MAX_RETRIES } from '../src/delivery/delivery-units.ts';
import { ledgerFor } from '../src/dedup/claim-event-ids.ts';
import { recordingQueue } from './consent-fixtures.ts';
import { chaos, purchase, received, seed, siteWithAll, type SinkName } from './destinations.ts';

/**
 * Issue 14 reliability suite, faults: the whole path (ingest → batch messages → consumer → sinks)
 * while sinks fail at random (throttling, server errors, permanent refusals), the queue redelivers
 * and retries, and the event-id ledger's Durable Object is reset mid-run. The queue itself is
 * driven here (attempts, retries, the dead-letter queue after max_retries) so the run is exact and fast.
 */

const QUEUE_OF = { DELIVERY_META: 'sluice-delivery-meta', DELIVERY_GA4: 'sluice-delivery-ga4', DELIVERY_GOOGLE_ADS: 'sluice-delivery-google-ads', DELIVERY_TIKTOK: 'sluice-delivery-tiktok' } as const;
type QueueBinding = keyof typeof QUEUE_OF;
const SINK_OF: Record<string, SinkName> = { meta: 'meta', ga4: 'ga4', ads: 'googleAds', tiktok: 'tiktok' };

interface Pending {
  queue: string;
  body: QueuedDelivery;
  attempts: number;
}

/** An env whose delivery queues record into `into`, tagged with the queue name. */
function recordingEnv(into: Pending[]): Env {
  const queues = Object.fromEntries(
    (Object.keys(QUEUE_OF) as QueueBinding[]).map((binding) => {
      const { sent, queue } = recordingQueue();
      const record = { sendBatch: async (messages: Iterable<{ body: QueuedDelivery }>) => { await queue.sendBatch(messages as never); for (const body of sent.splice(0)) into.push({ queue: QUEUE_OF[binding], body, attempts: 1 }); } };
      return [binding, record];
    }),
  );
  return { ...(env as Env), ...queues } as unknown as Env;
}

async function ingest(target: Env, writeKey: string, events: unknown[]): Promise<Response> {
  const ctx = createExecutionContext();
  const response = await worker.fetch(
    new Request(`https://gw.example/v1/batch?key=${writeKey}`, { method: 'POST', headers: { origin: 'https://shop.example', 'content-type': 'text/plain' }, body: JSON.stringify({ sentAt: new Date().toISOString(), events }) }),
    target,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return response;
}

/**
 * Plays the queue: runs the consumer on each queue's pending messages, puts retried ones back with
 * one more attempt, moves those past max_retries to the dead-letter queue, and collects messages the
 * consumer itself queued (re-queued remainders). Returns when nothing is pending.
 */
async function drain(pending: Pending[], perInvocation = 10): Promise<number> {
  let rounds = 0;
  while (pending.length) {
    rounds++;
    expect(rounds, 'the queue never drained').toBeLessThan(60);
    const now = pending.splice(0);
    const requeued: Pending[] = [];
    const target = recordingEnv(requeued);
    for (const queue of new Set(now.map((p) => p.queue))) {
      const mine = now.filter((p) => p.queue === queue);
      for (let i = 0; i < mine.length; i += perInvocation) {
        const part = mine.slice(i, i + perInvocation);
        const ids = part.map(() => crypto.randomUUID());
        const batch = createMessageBatch<QueuedDelivery>(queue, part.map((p, j) => ({ id: ids[j]!, timestamp: new Date(), attempts: p.attempts, body: p.body })));
        const ctx = createExecutionContext();
        await (worker as ExportedHandler<Env, QueuedDelivery>).queue!(batch, target, ctx);
        const result = await getQueueResult(batch, ctx);
        const retried = new Set(result.retryMessages.map((r: { msgId: string }) => r.msgId));
        const acked = new Set(result.explicitAcks);
        part.forEach((p, j) => {
          const id = ids[j]!;
          if (acked.has(id)) return;
          // Not acked and not retried explicitly: the queue redelivers it (as after a crash).
          const next = { ...p, attempts: p.attempts + 1 };
          if (!retried.has(id) && result.outcome === 'ok') return expect.fail(`message ${id} neither acked nor retried`);
          if (next.attempts > MAX_RETRIES + 1) pending.push({ queue: 'sluice-delivery-dlq', body: p.body, attempts: p.attempts });
          else if (queue === 'sluice-delivery-dlq') expect.fail('the dead-letter queue must ack everything');
          else pending.push(next);
        });
      }
    }
    pending.push(...requeued);
  }
  return rounds;
}

function acceptedIds(key: string, body: any): string[] {
  if (key === 'meta' || key === 'tiktok') return body.data.map((e: { event_id: string }) => e.event_id);
  if (key === 'ga4') return body.events.map((e: { params: { transaction_id: string } }) => e.params.transaction_id.slice('order-'.length));
  return body.conversions.map((c: { orderId: string }) => c.orderId.slice('order-'.length));
}

afterEach(async () => {
  await Promise.all((['meta', 'ga4', 'googleAds', 'tiktok'] as SinkName[]).map((sink) => chaos(sink, { rate: 0 })));
});

describe('faults: random sink failures, retries, redelivery and a ledger reset, end to end', () => {
  it('every accepted event is delivered exactly once per destination or dead-lettered with a reason; none lost', { timeout: 120_000 }, async () => {
    const site = siteWithAll('faults-site');
    await seed(site, 'faults_site_write_key');
    const scope: Record<string, string> = {
      meta: (site.destinations.meta as { pixelId: string }).pixelId,
      ga4: (site.destinations.ga4 as { measurementId: string }).measurementId,
      ads: (site.destinations.ads as { customerId: string }).customerId,
      tiktok: (site.destinations.tiktok as { pixelCode: string }).pixelCode,
    };
    // Clean-path failures only (no timeouts: a timed-out request may have reached the vendor, which dedups by event id).
    await Promise.all(Object.entries(SINK_OF).map(([key, sink], i) => chaos(sink, { rate: 0.3, seed: 140 + i, match: scope[key], modes: ['throttle', 'server', 'permanent'] })));

    const pending: Pending[] = [];
    const target = recordingEnv(pending);
    const batches = Array.from({ length: 12 }, (_, b) =>
      Array.from({ length: 20 }, (_, i) => purchase({ anonymousId: `faults-browser-${(b * 20 + i) % 6}`, ...((b * 20 + i) % 40 === 7 && { timestamp: new Date(Date.now() - 8 * 86_400_000).toISOString() }) })),
    );
    const all = batches.flat();
    for (const [b, events] of batches.entries()) {
      if (b === 6) {
        // The ledger's Durable Object is reset mid-run (its in-memory state is gone; storage is durable).
        await runInDurableObject(ledgerFor(env as Env, site.id), (_instance, state) => state.abort('reset mid-run')).catch(() => undefined);
      }
      const response = await ingest(target, 'faults_site_write_key', events);
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ accepted: 20, duplicates: 0 });
    }
    // A client retrying two earlier batches after the reset: all duplicates, nothing queued again.
    const queuedBefore = pending.length;
    for (const events of [batches[2]!, batches[5]!]) expect(await (await ingest(target, 'faults_site_write_key', events)).json()).toMatchObject({ accepted: 0, duplicates: 20 });
    expect(pending.length).toBe(queuedBefore);
    // One message per destination per batch.
    expect(pending.length).toBe(batches.length * 4);
    await drain(pending);

    let retries = 0;
    for (const [key, sink] of Object.entries(SINK_OF)) {
      const requests = (await received(sink, scope[key])).filter((r) => !r.rejectedFor && r.status! < 300 && !r.path.includes('token'));
      const delivered = requests.flatMap((r) => acceptedIds(key, JSON.parse(r.body)));
      const { results } = await env.DB.prepare('SELECT event_id, reason FROM dead_letters WHERE site_id = ? AND destination = ?').bind(site.id, key).all<{ event_id: string; reason: string }>();
      const dead = new Set(results.map((r) => r.event_id));
      // Exactly once: no event id twice at the vendor.
      expect(new Set(delivered).size, `${key}: duplicates at the sink`).toBe(delivered.length);
      // Nothing lost: every event delivered or dead-lettered, never both.
      for (const event of all) expect(dead.has(event.eventId) || delivered.includes(event.eventId), `${key}: ${event.eventId} lost`).toBe(true);
      expect(delivered.filter((id) => dead.has(id)), `${key}: delivered and dead-lettered`).toEqual([]);
      expect(results.every((r) => r.reason.length > 0)).toBe(true);
      // Status counts agree with what happened.
      const status = (await (await worker.fetch(new Request(`https://gw.example/v1/admin/sites/${site.id}/destinations/status`, { headers: { authorization: `Bearer ${env.ADMIN_TOKEN}` } }), env as Env, createExecutionContext())).json()) as any;
      expect(status.destinations[key].delivered, key).toBe(delivered.length);
      expect(status.destinations[key].deadLettered, key).toBe(dead.size);
      retries += status.destinations[key].retried;
      // Stale events (8 days old) are dead letters at the vendors that refuse them.
      if (key !== 'ads') expect(dead.size, key).toBeGreaterThanOrEqual(all.filter((e) => Date.parse(e.timestamp) < Date.now() - 7 * 86_400_000).length);
    }
    // The chaos did bite: retries happened, and still nothing was lost or doubled.
    expect(retries).toBeGreaterThan(10);
  });

  it('the consumer run twice on the same messages (redelivery) sends nothing twice', async () => {
    const site = siteWithAll('faults-redeliver');
    await seed(site, 'faults_redeliver_key');
    const pending: Pending[] = [];
    await ingest(recordingEnv(pending), 'faults_redeliver_key', Array.from({ length: 20 }, () => purchase()));
    const copy = pending.map((p) => ({ ...p }));
    await drain(pending);
    await drain(copy.map((p) => ({ ...p, attempts: 2 })));
    const requests = (await received('tiktok', (site.destinations.tiktok as { pixelCode: string }).pixelCode)).filter((r) => !r.rejectedFor);
    expect(requests).toHaveLength(1);
    expect(JSON.parse(requests[0]!.body).data).toHaveLength(20);
  });
});
