import { SELF, env } from 'cloudflare:test';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { FULL_CONSENT } from '../src/destinations/destination.ts';
import { RAW, RAW_FORMS, injectFailure, itemFor, purchase, received, seed, siteWithAll, type SinkName } from './destinations.ts';

const WRITE_KEY = 'pii_site_write_key';
const logged: string[] = [];
const methods = ['log', 'info', 'warn', 'error', 'debug'] as const;

beforeAll(() => {
  for (const method of methods) {
    const original = console[method].bind(console);
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      logged.push(args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a) ?? String(a))).join(' '));
      original(...args);
    });
  }
});
afterAll(() => vi.restoreAllMocks());

function leaks(text: string): string[] {
  const lower = text.toLowerCase();
  return RAW_FORMS.filter((form) => lower.includes(form.toLowerCase()));
}

describe('no raw personal data leaves the gateway', () => {
  it('no raw email, phone, name, birthdate or external id in any sink request, queue item, D1 row or log line', async () => {
    const site = siteWithAll('pii-site');
    await seed(site, WRITE_KEY);
    const scope = {
      meta: (site.destinations.meta as { pixelId: string }).pixelId,
      ga4: (site.destinations.ga4 as { measurementId: string }).measurementId,
      googleAds: (site.destinations.ads as { customerId: string }).customerId,
      tiktok: (site.destinations.tiktok as { pixelCode: string }).pixelCode,
    } satisfies Record<SinkName, string>;
    // Exercise the failure paths too: a retry at Meta, a permanent refusal (dead letter) at TikTok.
    await injectFailure('meta', { match: scope.meta, count: 1, status: 500, body: { error: { message: 'oops', code: 2, is_transient: true } } });
    await injectFailure('tiktok', { match: scope.tiktok, count: 1, status: 200, body: { code: 40001, message: 'No permission' } });

    const { event: _name, ...page } = { ...purchase({ userId: 'user-79' }), type: 'page', name: 'Checkout' } as Record<string, unknown>;
    const events = [purchase({ userId: 'user-77' }), purchase({ userId: 'user-78' }), page as unknown as ReturnType<typeof purchase>];
    const bad = { ...purchase(), eventId: 'nope', user: { ...RAW, shoe: 'x' } };
    const response = await SELF.fetch(`https://gw.example/v1/batch?key=${WRITE_KEY}`, {
      method: 'POST',
      headers: { origin: 'https://shop.example', 'content-type': 'text/plain', 'cf-connecting-ip': '203.0.113.9' },
      body: JSON.stringify({ sentAt: new Date().toISOString(), events: [...events, bad] }),
    });
    expect(response.status).toBe(200);
    const answer = await response.text();
    expect(JSON.parse(answer)).toMatchObject({ accepted: 3 });
    expect(leaks(answer)).toEqual([]);

    // The real queues deliver in the background; wait until every destination saw its events.
    const ids = events.map((e) => e.eventId);
    const seen = async (sink: SinkName) => (await received(sink, scope[sink])).filter((r) => !r.rejectedFor).length;
    await expect.poll(() => seen('meta'), { timeout: 20_000, interval: 250 }).toBeGreaterThan(0);
    await expect.poll(() => seen('ga4'), { timeout: 20_000, interval: 250 }).toBeGreaterThan(0);
    await expect.poll(() => seen('googleAds'), { timeout: 20_000, interval: 250 }).toBeGreaterThan(0);
    await expect
      .poll(async () => (await env.DB.prepare("SELECT COUNT(*) AS n FROM dead_letters WHERE site_id = ? AND destination = 'tiktok'").bind(site.id).first<{ n: number }>())?.n, { timeout: 20_000, interval: 250 })
      .toBeGreaterThan(0);
    const metaBody = async () => (await received('meta', scope.meta)).filter((r) => !r.rejectedFor).map((r) => r.body).join('');
    await expect.poll(async () => { const body = await metaBody(); return ids.every((id) => body.includes(id)); }, { timeout: 20_000, interval: 250 }).toBe(true);

    // Everything every sink received in this run (all test files use the same personal data).
    for (const sink of ['meta', 'ga4', 'googleAds', 'tiktok'] as const) {
      for (const request of await received(sink)) {
        const text = `${request.path} ${JSON.stringify(request.query)} ${JSON.stringify(request.headers)} ${request.body}`;
        expect(leaks(text), `${sink} ${request.path}`).toEqual([]);
      }
    }
    // What goes on the queues: the adapters' items.
    for (const config of Object.values(site.destinations)) {
      for (const event of events) expect(leaks(JSON.stringify(await itemFor(config, event, FULL_CONSENT)))).toEqual([]);
    }
    // D1: dead letters (payload, reason) and the delivery log.
    const letters = await env.DB.prepare('SELECT reason, payload FROM dead_letters').all();
    const log = await env.DB.prepare('SELECT detail FROM delivery_log').all();
    expect(leaks(JSON.stringify(letters.results))).toEqual([]);
    expect(leaks(JSON.stringify(log.results))).toEqual([]);
    expect(JSON.stringify(letters.results)).not.toContain('203.0.113.9');
    // And no log line.
    expect(logged.flatMap(leaks)).toEqual([]);
  }, 60_000);
});
