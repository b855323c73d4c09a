import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import type { DeliveryMessage } from '../src/delivery/delivery-message.ts';
import { chaos, messageFor, purchase, queued, received, runQueue, seed, siteWithAll, type QueuedMessage, type SinkName } from './destinations.ts';

/** `max_retries` of the delivery queues in wrangler.toml: a message is tried 1 + 8 times, then dead-lettered. */
const MAX_RETRIES = 8;
/**
 * Messages per consumer invocation. Production hands up to `max_batch_size` (100); small batches here
 * mean many more requests per sink, so the random failures hit often and single events get dead-lettered.
 */
const QUEUE_BATCH = 10;
const EVENTS = 1000;
const FAILURE_RATE = 0.3;

const QUEUES: Record<string, string> = { meta: 'sluice-delivery-meta', ga4: 'sluice-delivery-ga4', ads: 'sluice-delivery-google-ads', tiktok: 'sluice-delivery-tiktok' };
const SINKS: Record<string, SinkName> = { meta: 'meta', ga4: 'ga4', ads: 'googleAds', tiktok: 'tiktok' };

/** Event ids a sink accepted, read from what it received (GA4 and Google Ads carry the order id `order-<eventId>`). */
function acceptedIds(key: string, body: any): string[] {
  if (key === 'meta' || key === 'tiktok') return body.data.map((e: { event_id: string }) => e.event_id);
  if (key === 'ga4') return body.events.map((e: { params: { transaction_id: string } }) => e.params.transaction_id.slice('order-'.length));
  return body.conversions.map((c: { orderId: string }) => c.orderId.slice('order-'.length));
}

/** Makes an item one the vendor refuses for good. */
function poison(key: string, item: any): void {
  if (key === 'meta') item.user_data.fbc = 'not-a-click-id';
  if (key === 'ads') item.conversion.conversionDateTime = '2026-11-28T10:00:00Z';
  if (key === 'tiktok') item.user.email = 'not-hashed@example.com';
}

function chunks<T>(list: T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(list.length / size) }, (_, i) => list.slice(i * size, (i + 1) * size));
}

describe('chaos: 1,000 events while every sink fails 30% of requests at random', () => {
  it('delivers every event exactly once per destination or dead-letters it with a reason; none is lost', async () => {
    const site = siteWithAll('chaos-site');
    await seed(site);
    const scope: Record<string, string> = {
      meta: (site.destinations.meta as { pixelId: string }).pixelId,
      ga4: (site.destinations.ga4 as { measurementId: string }).measurementId,
      ads: (site.destinations.ads as { customerId: string }).customerId,
      tiktok: (site.destinations.tiktok as { pixelCode: string }).pixelCode,
    };
    // Ten browsers, so GA4 (one client per request) still batches. Every 50th event is 8 days old
    // (stale for Meta, GA4 and TikTok; fine for Google Ads); every 50th+25 is malformed for Meta,
    // Google Ads and TikTok (a vendor 4xx / partial failure row): both must end as dead letters
    // while the good events of their batches are delivered.
    const stale = (i: number) => i % 50 === 0;
    const poisoned = (i: number) => i % 50 === 25;
    const events = Array.from({ length: EVENTS }, (_, i) =>
      purchase({ anonymousId: `chaos-browser-${i % 10}`, ...(stale(i) && { timestamp: new Date(Date.now() - 8 * 86_400_000).toISOString() }) }),
    );
    const expectedDead: Record<string, Set<string>> = {
      meta: new Set(events.filter((_, i) => stale(i) || poisoned(i)).map((e) => e.eventId)),
      ga4: new Set(events.filter((_, i) => stale(i)).map((e) => e.eventId)),
      ads: new Set(events.filter((_, i) => poisoned(i)).map((e) => e.eventId)),
      tiktok: new Set(events.filter((_, i) => stale(i) || poisoned(i)).map((e) => e.eventId)),
    };
    let pending: Array<{ key: string; message: QueuedMessage }> = [];
    for (const key of Object.keys(QUEUES)) {
      const bodies = (await Promise.all(events.map((e) => messageFor(site, key, e)))) as DeliveryMessage[];
      bodies.forEach((body, i) => poisoned(i) && poison(key, body.item as any));
      pending.push(...queued(bodies).map((message) => ({ key, message })));
    }
    expect(pending).toHaveLength(EVENTS * 4);
    await Promise.all(Object.keys(QUEUES).map((key, seed) => chaos(SINKS[key]!, { rate: FAILURE_RATE, seed: seed + 1, match: scope[key] })));

    const exhausted: QueuedMessage[] = [];
    let rounds = 0;
    try {
      while (pending.length) {
        rounds++;
        const next: typeof pending = [];
        const runs = Object.keys(QUEUES).flatMap((key) =>
          chunks(pending.filter((p) => p.key === key).map((p) => p.message), QUEUE_BATCH).map(async (batch) => {
            const result = await runQueue(QUEUES[key]!, batch);
            expect(result.outcome).toBe('ok');
            const acked = new Set(result.explicitAcks);
            const retried = new Set(result.retryMessages.map((m: { msgId: string }) => m.msgId));
            for (const message of batch) {
              // Every message is settled one way: acked (delivered, duplicate or dead-lettered) or retried.
              expect(acked.has(message.id) !== retried.has(message.id)).toBe(true);
              if (!retried.has(message.id)) continue;
              if (message.attempts > MAX_RETRIES) exhausted.push(message);
              else next.push({ key, message: { ...message, attempts: message.attempts + 1 } });
            }
          }),
        );
        await Promise.all(runs);
        pending = next;
      }
      for (const batch of chunks(exhausted, QUEUE_BATCH)) await runQueue('sluice-delivery-dlq', batch);
      expect(rounds).toBeLessThanOrEqual(MAX_RETRIES + 1);
    } finally {
      await Promise.all(Object.values(SINKS).map((sink) => chaos(sink, { rate: 0, seed: 0 })));
    }

    const { results: letters } = await env.DB.prepare('SELECT destination, event_id, reason FROM dead_letters WHERE site_id = ?')
      .bind(site.id)
      .all<{ destination: string; event_id: string; reason: string }>();
    const summary: Record<string, { delivered: number; deadLettered: number; requests: number; failedRequests: number }> = {};
    for (const key of Object.keys(QUEUES)) {
      const requests = await received(SINKS[key]!, scope[key]);
      // A Google Ads answer 200 with a partial failure accepted every row but the ones it names.
      const partial = (r: (typeof requests)[number]) => key === 'ads' && r.status === 200;
      const accepted = requests.filter((r) => (!r.rejectedFor || partial(r)) && r.status !== undefined && r.status < 300);
      const deliveries = new Map<string, number>();
      for (const r of accepted) {
        const refusedRows = new Set((r.rejectedFor ?? []).map((p) => Number(/^conversions\[(\d+)\]/.exec(p)?.[1])));
        acceptedIds(key, JSON.parse(r.body)).forEach((id, row) => refusedRows.has(row) || deliveries.set(id, (deliveries.get(id) ?? 0) + 1));
      }
      const dead = new Map(letters.filter((l) => l.destination === key).map((l) => [l.event_id, l.reason]));
      for (const event of events) {
        const times = deliveries.get(event.eventId) ?? 0;
        const reason = dead.get(event.eventId);
        expect({ key, id: event.eventId, times, dead: Boolean(reason) }).toEqual(
          times === 1 ? { key, id: event.eventId, times: 1, dead: false } : { key, id: event.eventId, times: 0, dead: true },
        );
        if (reason) expect(reason.length).toBeGreaterThan(5);
        // Bad events always end dead; stale ones are set aside before any request, so their reason says so.
        if (expectedDead[key]!.has(event.eventId)) expect(reason, `${key} ${event.eventId}`).toBeTruthy();
        if (expectedDead[key]!.has(event.eventId) && key !== 'ads' && events.indexOf(event) % 50 === 0) expect(reason).toContain('stale');
      }
      expect(letters.filter((l) => l.destination === key)).toHaveLength(dead.size);
      summary[key] = { delivered: deliveries.size, deadLettered: dead.size, requests: requests.length, failedRequests: requests.length - accepted.length };
      // The injected failures really happened.
      expect(summary[key]!.failedRequests).toBeGreaterThan(0);
      expect(summary[key]!.delivered + summary[key]!.deadLettered).toBe(EVENTS);
    }
    console.log(`chaos: ${rounds} rounds, ${exhausted.length} exhausted retries`, JSON.stringify(summary));
  }, 300_000);
});
