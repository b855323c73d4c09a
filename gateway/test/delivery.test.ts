import { SELF, createExecutionContext, createScheduledController, env, waitOnExecutionContext } from 'cloudflare:test';
import worker from '../src/index.ts';
import { describe, expect, it } from 'vitest';
import type { DeliveryMessage } from '../src/delivery/delivery-message.ts';
import { recordConsentDrops } from '../src/delivery/delivery-log.ts';
import { ADMIN, injectFailure, messageFor, purchase, queued, received, runQueue, seed, siteWithAll } from './destinations.ts';

const DAY_MS = 86_400_000;

async function metaMessages(site: ReturnType<typeof siteWithAll>, events: ReturnType<typeof purchase>[]): Promise<DeliveryMessage[]> {
  return Promise.all(events.map(async (e) => (await messageFor(site, 'meta', e))!));
}

function pixelOf(site: ReturnType<typeof siteWithAll>): string {
  return (site.destinations.meta as { pixelId: string }).pixelId;
}

async function sentEventIds(site: ReturnType<typeof siteWithAll>): Promise<string[]> {
  const requests = await received('meta', pixelOf(site));
  return requests.filter((r) => !r.rejectedFor).flatMap((r) => JSON.parse(r.body).data.map((e: { event_id: string }) => e.event_id));
}

async function admin(path: string, init: RequestInit = {}) {
  return SELF.fetch(`https://gw.example/v1/admin/sites/${path}`, { ...init, headers: { ...ADMIN, 'content-type': 'application/json', ...init.headers } });
}

describe('delivery queue consumer', () => {
  it('sets a stale event aside alone: the fresh ones go out in one request, the stale one is dead-lettered with a reason', async () => {
    const site = siteWithAll('stale-site');
    await seed(site);
    const fresh = [purchase(), purchase()];
    const stale = purchase({ timestamp: new Date(Date.now() - 8 * DAY_MS).toISOString() });
    const result = await runQueue('sluice-delivery-meta', queued(await metaMessages(site, [fresh[0]!, stale, fresh[1]!])));
    expect(result.outcome).toBe('ok');
    expect(result.explicitAcks).toHaveLength(3);
    const requests = await received('meta', pixelOf(site));
    expect(requests).toHaveLength(1);
    expect(await sentEventIds(site)).toEqual([fresh[0]!.eventId, fresh[1]!.eventId]);
    const row = await env.DB.prepare('SELECT reason, payload FROM dead_letters WHERE site_id = ? AND event_id = ?').bind(site.id, stale.eventId).first<{ reason: string; payload: string }>();
    expect(row?.reason).toContain('older than 7 days');
    // Dead letters keep the hashed item, never the client's IP address.
    expect(row?.payload).not.toContain('203.0.113.7');
    expect(JSON.parse(row!.payload).user_data.em).toHaveLength(1);
  });

  it('drops items past the policy’s delivery-queue retention without sending or keeping them', async () => {
    const site = siteWithAll('expiry-site');
    await seed(site);
    const [kept, expired] = await metaMessages(site, [purchase(), purchase()]);
    const result = await runQueue('sluice-delivery-meta', queued([kept!, { ...expired!, expiresAt: Date.now() - 1000 }]));
    expect(result.explicitAcks).toHaveLength(2);
    expect(await sentEventIds(site)).toEqual([kept!.eventId]);
    const letter = await env.DB.prepare('SELECT 1 FROM dead_letters WHERE site_id = ? AND event_id = ?').bind(site.id, expired!.eventId).first();
    expect(letter).toBeNull();
    const status = (await (await admin(`${site.id}/destinations/status`)).json()) as { destinations: Record<string, { expired: number }> };
    expect(status.destinations.meta!.expired).toBe(1);
  });

  it('isolates one event the vendor refuses so the rest of its batch is delivered', async () => {
    const site = siteWithAll('bisect-site');
    await seed(site);
    const events = [purchase(), purchase(), purchase(), purchase()];
    const messages = await metaMessages(site, events);
    (messages[2]!.item as { user_data: { fbc: string } }).user_data.fbc = 'not-a-click-id';
    const result = await runQueue('sluice-delivery-meta', queued(messages));
    expect(result.explicitAcks).toHaveLength(4);
    expect((await sentEventIds(site)).sort()).toEqual([events[0]!, events[1]!, events[3]!].map((e) => e.eventId).sort());
    const row = await env.DB.prepare('SELECT reason FROM dead_letters WHERE site_id = ? AND event_id = ?').bind(site.id, events[2]!.eventId).first<{ reason: string }>();
    expect(row?.reason).toMatch(/meta 400 code 100.*fbc malformed/);
  });

  it('dead-letters a whole batch at once when the vendor refuses the request itself (bad token), without splitting it', async () => {
    const site = siteWithAll('token-site');
    await seed(site);
    const events = [purchase(), purchase(), purchase(), purchase()];
    await injectFailure('meta', { match: pixelOf(site), count: 1, status: 401, body: { error: { message: 'Error validating access token', type: 'OAuthException', code: 190, is_transient: false } } });
    const result = await runQueue('sluice-delivery-meta', queued(await metaMessages(site, events)));
    expect(result.explicitAcks).toHaveLength(4);
    expect(await received('meta', pixelOf(site))).toHaveLength(1);
    const { results } = await env.DB.prepare('SELECT reason FROM dead_letters WHERE site_id = ?').bind(site.id).all<{ reason: string }>();
    expect(results.map((r) => r.reason)).toEqual(Array(4).fill(expect.stringContaining('code 190')));
  });

  it('retries throttled requests no sooner than Retry-After, and never delivers an event id twice', async () => {
    const site = siteWithAll('retry-site');
    await seed(site);
    const event = purchase();
    const [message] = queued(await metaMessages(site, [event]));
    await injectFailure('meta', { match: pixelOf(site), count: 1, status: 429, headers: { 'retry-after': '30' }, body: { error: { code: 4, message: 'Application request limit reached', is_transient: true } } });
    const first = await runQueue('sluice-delivery-meta', [message!]);
    expect(first.retryMessages.map((m: { msgId: string }) => m.msgId)).toEqual([message!.id]);
    expect(first.delays.get(message!.id)).toBeGreaterThanOrEqual(30);
    const second = await runQueue('sluice-delivery-meta', [{ ...message!, attempts: 2 }]);
    expect(second.explicitAcks).toEqual([message!.id]);
    // At-least-once: the queue may hand the same message over again. It is acked, counted, not re-sent.
    const third = await runQueue('sluice-delivery-meta', [{ ...message!, attempts: 1 }, { ...message!, id: crypto.randomUUID() }]);
    expect(third.explicitAcks).toHaveLength(2);
    expect(await sentEventIds(site)).toEqual([event.eventId]);
    const status = (await (await admin(`${site.id}/destinations/status`)).json()) as any;
    expect(status.destinations.meta).toMatchObject({ type: 'meta', delivered: 1, retried: 1, duplicates: 2, deadLettered: 0 });
    expect(status.destinations.meta.lastErrors[0].reason).toContain('meta 429 code 4');
  });

  it('dead-letters messages that ran out of retries with their last reason', async () => {
    const site = siteWithAll('dlq-site');
    await seed(site);
    const event = purchase();
    const messages = queued(await metaMessages(site, [event]), 9);
    await injectFailure('meta', { match: pixelOf(site), count: 1, status: 503, body: {} });
    await runQueue('sluice-delivery-meta', messages);
    await runQueue('sluice-delivery-dlq', messages);
    const row = await env.DB.prepare('SELECT reason, payload FROM dead_letters WHERE site_id = ? AND event_id = ?').bind(site.id, event.eventId).first<{ reason: string; payload: string }>();
    expect(row?.reason).toMatch(/retries exhausted after 9 attempts; last: meta 503/);
    expect(row?.payload).not.toContain('203.0.113.7');
  });
});

describe('admin API: dead letters, replay, status', () => {
  it('needs the admin token, compared in constant time', async () => {
    const site = siteWithAll('admin-auth');
    await seed(site);
    for (const path of ['dead-letters', 'destinations/status', 'dedup-audit']) {
      for (const headers of [{}, { authorization: 'Bearer wrong-token' }, { authorization: `Basic ${env.ADMIN_TOKEN}` }] as Record<string, string>[]) {
        const response = await SELF.fetch(`https://gw.example/v1/admin/sites/${site.id}/${path}`, { headers });
        expect(response.status).toBe(401);
        expect(((await response.json()) as any).error.code).toBe('unauthorized');
      }
    }
    const replay = await SELF.fetch(`https://gw.example/v1/admin/sites/${site.id}/dead-letters/replay`, { method: 'POST', body: '{}' });
    expect(replay.status).toBe(401);
    expect((await admin('no-such-site/dead-letters')).status).toBe(404);
    expect((await admin(`${site.id}/dead-letters?limit=0`)).status).toBe(400);
  });

  it('lists dead letters with the vendor reason and replays them onto the queue exactly once', async () => {
    const site = siteWithAll('replay-site');
    await seed(site);
    const event = purchase();
    await injectFailure('meta', { match: pixelOf(site), count: 1, status: 400, body: { error: { message: 'Invalid parameter', code: 100, error_subcode: 2804019, is_transient: false } } });
    await runQueue('sluice-delivery-meta', queued(await metaMessages(site, [event])));
    const list = (await (await admin(`${site.id}/dead-letters?destination=meta`)).json()) as any;
    expect(list.deadLetters).toHaveLength(1);
    expect(list.deadLetters[0]).toMatchObject({ destination: 'meta', eventId: event.eventId, replayedAt: null, reason: expect.stringContaining('code 100/2804019') });
    const replay = (await (await admin(`${site.id}/dead-letters/replay`, { method: 'POST', body: JSON.stringify({ ids: [list.deadLetters[0].id] }) })).json()) as any;
    expect(replay).toEqual({ replayed: 1, skipped: 0 });
    // A second replay finds nothing open.
    expect(await (await admin(`${site.id}/dead-letters/replay`, { method: 'POST', body: '{}' })).json()).toEqual({ replayed: 0, skipped: 0 });
    // The real queue consumer (miniflare) delivers the replayed message.
    await expect.poll(() => sentEventIds(site), { timeout: 15_000, interval: 200 }).toEqual([event.eventId]);
    const after = (await (await admin(`${site.id}/dead-letters?open=true`)).json()) as any;
    expect(after.deadLetters).toHaveLength(0);
    const status = (await (await admin(`${site.id}/destinations/status`)).json()) as any;
    expect(status.destinations.meta).toMatchObject({ deadLettered: 1, replayed: 1, openDeadLetters: 0 });
    await expect.poll(async () => ((await (await admin(`${site.id}/destinations/status`)).json()) as any).destinations.meta.delivered, { timeout: 5000 }).toBe(1);
  });
});

describe('retention', () => {
  it('the daily cron forgets delivered ids past 30 days, so the ledger does not grow forever', async () => {
    const site = siteWithAll('prune-site');
    await seed(site);
    const old = Date.now() - 31 * DAY_MS;
    await env.DB.batch([
      env.DB.prepare('INSERT INTO delivered_events VALUES (?, ?, ?, ?)').bind(site.id, 'meta', 'old-id', old),
      env.DB.prepare('INSERT INTO delivered_events VALUES (?, ?, ?, ?)').bind(site.id, 'meta', 'new-id', Date.now()),
    ]);
    const ctx = createExecutionContext();
    await (worker as ExportedHandler<typeof env>).scheduled!(createScheduledController({ cron: '17 3 * * *' }), env, ctx);
    await waitOnExecutionContext(ctx);
    const { results } = await env.DB.prepare('SELECT event_id FROM delivered_events WHERE site_id = ?').bind(site.id).all<{ event_id: string }>();
    expect(results.map((r) => r.event_id)).toEqual(['new-id']);
  });
});

describe('per-destination status', () => {
  it('counts events consent kept from a destination', async () => {
    const site = siteWithAll('consent-site');
    await seed(site);
    await recordConsentDrops(env, site.id, 'tiktok', [crypto.randomUUID(), crypto.randomUUID()]);
    const status = (await (await admin(`${site.id}/destinations/status`)).json()) as any;
    expect(status.destinations.tiktok).toMatchObject({ type: 'tiktok', droppedByConsent: 2, delivered: 0 });
    expect(status.destinations.meta).toMatchObject({ droppedByConsent: 0 });
  });
});

describe('dedup auditor', () => {
  it('reports per destination the share of delivered server events whose ids the browser pixel also used', async () => {
    const site = siteWithAll('dedup-site');
    const writeKey = 'dedup_site_write_key';
    await seed(site, writeKey);
    const events = [purchase(), purchase(), purchase(), purchase()];
    await runQueue('sluice-delivery-meta', queued(await metaMessages(site, events)));
    const report = (ids: unknown) =>
      SELF.fetch(`https://gw.example/v1/pixel-ids?key=${writeKey}`, {
        method: 'POST',
        headers: { origin: 'https://shop.example', 'content-type': 'text/plain' },
        body: JSON.stringify({ sentAt: new Date().toISOString(), ids }),
      });
    const ok = await report([
      { eventId: events[0]!.eventId, vendors: ['meta', 'google'] },
      { eventId: events[1]!.eventId, vendors: ['meta'] },
      { eventId: events[2]!.eventId, vendors: ['tiktok'] },
    ]);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://shop.example');
    expect(await ok.json()).toEqual({ recorded: 4 });
    expect((await report([{ eventId: 'not-a-uuid', vendors: ['meta'] }])).status).toBe(400);
    expect((await report([{ eventId: events[0]!.eventId, vendors: ['myspace'] }])).status).toBe(400);
    const foreign = await SELF.fetch(`https://gw.example/v1/pixel-ids?key=${writeKey}`, { method: 'POST', headers: { origin: 'https://evil.example' }, body: '{}' });
    expect(foreign.status).toBe(403);
    const audit = (await (await admin(`${site.id}/dedup-audit?days=1`)).json()) as any;
    expect(audit.destinations.meta).toEqual({ type: 'meta', pixel: 'meta', serverEvents: 4, alsoSentByPixel: 2, share: 0.5 });
    expect(audit.destinations.tiktok).toMatchObject({ serverEvents: 0, share: null });
  });
});
