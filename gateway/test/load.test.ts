import { SELF, env } from 'cloudflare:test';
import { describe, expect, inject, it } from 'vitest';
import { purchase, received, seed, siteWithAll, type SinkName } from './destinations.ts';

/**
 * Issue 14 reliability suite, load: a bounded run through the real pipeline in workerd — ingest,
 * the real queues and consumer, the local sinks — at a steady concurrency; then every accepted
 * event is reconciled at every sink (count and identity), with no 5xx on the way, and workerd's
 * resident memory stays within a coarse per-event bound (sampled from Node: gateway/test/process-memory.ts).
 * Duration: SLUICE_LOAD_SECONDS (default 10, at most 45, so the whole file stays under 60 s).
 */

const SECONDS = Math.min(45, Number((globalThis as { process?: { env?: Record<string, string> } }).process?.env?.SLUICE_LOAD_SECONDS ?? 10) || 10);
const CONCURRENCY = 8;
const BATCH = 20;
const SINK_OF: Record<string, SinkName> = { meta: 'meta', ga4: 'ga4', ads: 'googleAds', tiktok: 'tiktok' };

function acceptedIds(key: string, body: any): string[] {
  if (key === 'meta' || key === 'tiktok') return body.data.map((e: { event_id: string }) => e.event_id);
  if (key === 'ga4') return body.events.map((e: { params: { transaction_id: string } }) => e.params.transaction_id.slice('order-'.length));
  return body.conversions.map((c: { orderId: string }) => c.orderId.slice('order-'.length));
}

describe('load', () => {
  it(`${SECONDS} s at concurrency ${CONCURRENCY} with ${BATCH}-event batches: no 5xx, every accepted event at every sink exactly once`, { timeout: (SECONDS + 50) * 1000 }, async () => {
    const site = siteWithAll('load-site');
    await seed(site, 'load_site_write_key');
    const scope: Record<string, string> = {
      meta: (site.destinations.meta as { pixelId: string }).pixelId,
      ga4: (site.destinations.ga4 as { measurementId: string }).measurementId,
      ads: (site.destinations.ads as { customerId: string }).customerId,
      tiktok: (site.destinations.tiktok as { pixelCode: string }).pixelCode,
    };
    const accepted = new Set<string>();
    const statuses = new Map<number, number>();
    const latencies: number[] = [];
    const until = Date.now() + SECONDS * 1000;
    let browser = 0;
    // Memory: workerd's resident set sampled through the run (the Node-side probe, process-memory.ts).
    const rss: Array<{ mb: number; events: number }> = [];
    const sampleRss = async () => {
      const { rssMb } = (await (await fetch(inject('memoryProbeUrl'))).json()) as { rssMb: number | null };
      if (rssMb !== null) rss.push({ mb: rssMb, events: accepted.size });
    };
    const sampler = (async () => {
      while (Date.now() < until) {
        await sampleRss();
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    })();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (Date.now() < until) {
          const events = Array.from({ length: BATCH }, () => purchase({ anonymousId: `load-browser-${browser++ % 50}` }));
          const started = Date.now();
          const response = await SELF.fetch('https://gw.example/v1/batch?key=load_site_write_key', {
            method: 'POST',
            headers: { origin: 'https://shop.example', 'content-type': 'text/plain' },
            body: JSON.stringify({ sentAt: new Date().toISOString(), events }),
          });
          latencies.push(Date.now() - started);
          statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
          const body = (await response.json()) as { accepted?: number };
          if (response.status === 200) {
            expect(body.accepted).toBe(BATCH);
            for (const e of events) accepted.add(e.eventId);
          }
        }
      }),
    );
    await sampler;
    const requests = [...statuses.values()].reduce((a, b) => a + b, 0);
    latencies.sort((a, b) => a - b);
    const p = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
    console.log(`load: ${requests} requests, ${accepted.size} events in ${SECONDS} s (${Math.round(accepted.size / SECONDS)} events/s), latency p50 ${p(0.5)} ms p99 ${p(0.99)} ms, statuses ${JSON.stringify(Object.fromEntries(statuses))}`);
    expect([...statuses.keys()].filter((s) => s >= 500), JSON.stringify(Object.fromEntries(statuses))).toEqual([]);
    expect(accepted.size).toBeGreaterThan(0);

    // Reconcile: the real queues and consumer deliver everything; each destination gets each id once.
    for (const [key, sink] of Object.entries(SINK_OF)) {
      const delivered = async () => (await received(sink, scope[key])).filter((r) => !r.rejectedFor && !r.path.includes('token')).flatMap((r) => acceptedIds(key, JSON.parse(r.body)));
      await expect.poll(async () => (await delivered()).length, { timeout: 45_000, interval: 500 }).toBeGreaterThanOrEqual(accepted.size);
      const ids = await delivered();
      expect(ids.length, `${key}: more deliveries than events`).toBe(accepted.size);
      expect(new Set(ids).size, `${key}: an event delivered twice`).toBe(accepted.size);
      for (const id of ids) expect(accepted.has(id), `${key}: ${id} delivered but never accepted`).toBe(true);
    }
    const open = await env.DB.prepare('SELECT COUNT(*) AS n FROM dead_letters WHERE site_id = ?').bind(site.id).first<{ n: number }>();
    expect(open!.n).toBe(0);

    // Memory bounded: over the run and its deliveries, workerd's resident set grows by at most
    // 128 KB per accepted event, plus 64 MB for the allocator and GC timing — per event, so it holds
    // for any run length. Coarse on purpose, and it says so: here the local simulators keep D1,
    // Durable Object and queue state in the same process and V8 grows its heap lazily; 25–45 KB per
    // event was seen on this machine (the bench sees growth before and after issue 14 alike, not yet
    // explained). It catches gross leaks (a request's bodies or messages kept several times over).
    await sampleRss();
    if (rss.length >= 4) {
      const first = rss[0]!;
      const last = rss.at(-1)!;
      const peak = Math.max(...rss.map((r) => r.mb));
      const events = Math.max(1, last.events - first.events);
      const trace = rss.map((r) => Math.round(r.mb)).join(' ');
      console.log(`load: workerd RSS ${trace} MB; ${(((peak - first.mb) * 1024) / events).toFixed(1)} KB per accepted event`);
      expect(peak - first.mb, `RSS samples ${trace} MB over ${events} events`).toBeLessThanOrEqual(64 + (128 * events) / 1024);
    }
  });
});
