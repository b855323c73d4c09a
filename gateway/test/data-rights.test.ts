import { env, createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import worker from '../src/index.ts';
import type { Env } from '../src/env.ts';
import { isBatchMessage, type DeliveryMessage, type QueuedDelivery } from '../src/delivery/delivery-message.ts';
import { clearPlanCache } from '../src/plan/live-plan.ts';
import { GOOGLE_PROFILE, META_PROFILE, normalizedValue } from '../src/identity/index.ts';
import { queued, received, runQueue, scopedIds, seed, sha256, siteWithAll } from './destinations.ts';
import type { SiteConfig } from '../src/site-config/site-config.ts';

const ADMIN = { authorization: `Bearer ${env.ADMIN_TOKEN}`, 'content-type': 'application/json' };
const KEY = 'rights_write_key_0001';
const ORIGIN = 'https://shop.example';

/** The person who asks to be forgotten, and someone who does not. */
const P = { userId: 'Forget-Me-User-4711', anonymousId: 'anon-forget-me-4711', email: '  Forget.Me+x@Example.org ', phone: '+1 (415) 555-0199' };
const Q = { userId: 'Keep-Me-User-0815', anonymousId: 'anon-keep-me-0815', email: 'keep.me@example.org', phone: '+1 (415) 555-0123' };

let site: SiteConfig;

function event(person: typeof P, name = 'Purchase') {
  return {
    type: 'track',
    event: name,
    eventId: crypto.randomUUID(),
    timestamp: new Date().toISOString(),
    anonymousId: person.anonymousId,
    userId: person.userId,
    properties: { value: 9.5, currency: 'usd' },
    user: { email: person.email, phone: person.phone },
    context: { page: { url: 'https://shop.example/checkout' }, userAgent: 'Mozilla/5.0 rights' },
  };
}

async function ingest(events: unknown[]) {
  // Ingest queues batch messages (one per destination, issue 14); the consumer works per item, so
  // each item is kept here as the single-item message it expands to (still consumed as such).
  const sent: DeliveryMessage[] = [];
  const record = (body: QueuedDelivery) => {
    if (!isBatchMessage(body)) return void sent.push(body);
    for (const item of body.items) sent.push({ siteId: body.siteId, destinationKey: body.destinationKey, ...item });
  };
  const queue = {
    async send(body: QueuedDelivery) { record(body); },
    async sendBatch(ms: Iterable<{ body: QueuedDelivery }>) { for (const m of ms) record(m.body); },
  };
  const queues = { DELIVERY: queue, DELIVERY_META: queue, DELIVERY_GA4: queue, DELIVERY_GOOGLE_ADS: queue, DELIVERY_TIKTOK: queue };
  const ctx = createExecutionContext();
  const response = await worker.fetch(
    new Request(`https://gw.example/v1/batch?key=${KEY}`, { method: 'POST', headers: { origin: ORIGIN, 'content-type': 'text/plain' }, body: JSON.stringify({ sentAt: new Date().toISOString(), events }) }),
    { ...(env as Env), ...queues } as unknown as Env,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return { response, sent };
}

async function admin(path: string, init: RequestInit = {}) {
  const response = await worker.fetch(new Request(`https://gw.example${path}`, { ...init, headers: { ...ADMIN, ...(init.headers as Record<string, string>) } }), env as Env, createExecutionContext());
  return { status: response.status, body: (await response.json()) as any };
}

/** Every form a careless gateway could keep the person in: clear, normalized, and the digests vendors receive. */
async function identifierForms(person: typeof P): Promise<string[]> {
  const email = normalizedValue(META_PROFILE, 'email', person.email)!;
  const phone = normalizedValue(META_PROFILE, 'phone', person.phone)!;
  const googlePhone = normalizedValue(GOOGLE_PROFILE, 'phone', person.phone)!;
  return [
    person.userId, person.anonymousId, person.email.trim(), email, phone, googlePhone, '415) 555',
    await sha256(person.userId), await sha256(person.anonymousId), await sha256(email), await sha256(phone), await sha256(googlePhone),
    await sha256(normalizedValue(GOOGLE_PROFILE, 'email', person.email)!),
  ];
}

async function dumpD1(except: string[] = []): Promise<string> {
  const { results } = await env.DB.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_cf%' ESCAPE '\\' AND name NOT LIKE 'sqlite%' AND name != 'd1_migrations'").all<{ name: string }>();
  let out = '';
  for (const { name } of results) {
    if (except.includes(name)) continue;
    out += `${name}:${JSON.stringify((await env.DB.prepare(`SELECT * FROM ${name}`).all()).results)}\n`;
  }
  return out;
}

async function dumpKv(): Promise<string> {
  const list = await env.CONFIG.list();
  let out = '';
  for (const key of list.keys) out += `${key.name}=${await env.CONFIG.get(key.name)}\n`;
  return out;
}

beforeAll(async () => {
  const ids = scopedIds();
  const all = siteWithAll('rights-shop', ids);
  site = {
    ...all,
    destinations: {
      ...all.destinations,
      ga4: { type: 'ga4', measurementId: ids.measurementId, apiSecretSecret: 'GA4_SECRET_TEST', userDeletion: { propertyId: '345678901', oauthClientIdSecret: 'ADS_CLIENT_ID_TEST', oauthClientSecretSecret: 'ADS_CLIENT_SECRET_TEST', oauthRefreshTokenSecret: 'ADS_REFRESH_TOKEN_TEST' } },
    },
  };
  await seed(site, KEY);
  // A plan that quarantines one event name, so the quarantine store holds the person too.
  await env.CONFIG.put('plan:rights-shop', JSON.stringify({ version: 1, planHash: 'x', updatedAt: 0, plan: { version: 1, mode: 'quarantine', events: { Odd: { properties: { value: { type: 'string' } } } } } }));
  clearPlanCache();
});

describe('deletion: POST /v1/admin/privacy/deletions', () => {
  it('leaves nothing of the person in D1, KV or the queues, keeps everyone else, asks GA4, and suppresses later events', async () => {
    // The person's data in every store: queued, delivered (delivery log + delivered ids), dead-lettered, quarantined, pixel ids, consent audit.
    const pEvents = [event(P), event(P), event(P), event(P, 'Odd')];
    const qEvents = [event(Q), event(Q, 'Odd')];
    const first = await ingest([...pEvents, ...qEvents]);
    expect(first.response.status).toBe(200);
    const pEventIds = pEvents.map((e) => e.eventId);
    const [delivered, deadLettered, stillQueued] = pEventIds as [string, string, string];
    const qEvent = qEvents[0]!.eventId;
    const pMessages = first.sent.filter((m) => pEventIds.includes(m.eventId));
    const metaOf = (id: string) => first.sent.find((m) => m.eventId === id && m.destinationKey === 'meta')!;
    await runQueue('sluice-delivery-meta', queued([metaOf(delivered), metaOf(qEvent)]));
    await runQueue('sluice-delivery-dlq', queued([metaOf(deadLettered)], 9));
    await env.DB.prepare('INSERT INTO pixel_event_ids (site_id, vendor, event_id, reported_at) VALUES (?, ?, ?, ?)').bind('rights-shop', 'meta', delivered, Date.now()).run();
    const forms = await identifierForms(P);
    const before = await dumpD1();
    // The stores do hold the person before (in hashed or keyed form, and by event id).
    expect(before).toContain(delivered);
    expect(before).toContain(await sha256(normalizedValue(META_PROFILE, 'email', P.email)!));
    expect(pMessages.length).toBeGreaterThan(0);

    const deletion = await admin('/v1/admin/privacy/deletions', { method: 'POST', body: JSON.stringify({ siteId: 'rights-shop', ...P }) });
    expect(deletion.status).toBe(201);
    const record = deletion.body;
    expect(record.status).toBe('completed');
    expect(record.identifierKinds).toEqual(['userId', 'anonymousId', 'email', 'phone']);
    expect(record.stores['delivery log'].removed).toBeGreaterThanOrEqual(2);
    expect(record.stores['dead letters']).toEqual({ found: 1, removed: 1 });
    expect(record.stores['delivered ids'].removed).toBeGreaterThanOrEqual(1);
    expect(record.stores['pixel ids']).toEqual({ found: 1, removed: 1 });
    // The built-in default policy audited each of the 3 accepted Purchases at each of the 4 destinations.
    expect(record.stores['consent audit']).toEqual({ found: 12, removed: 12 });
    expect(record.stores['quarantine']).toEqual({ found: 1, removed: 1 });
    expect(record.stores['queued items'].found).toBe(4);
    expect(record.destinations).toEqual(
      expect.arrayContaining([
        { destination: 'ga4', type: 'ga4', status: 'requested', detail: expect.stringContaining('USER_ID') },
        { destination: 'meta', type: 'meta', status: 'unsupported', detail: expect.any(String) },
        { destination: 'tiktok', type: 'tiktok', status: 'unsupported', detail: expect.any(String) },
        { destination: 'ads', type: 'google_ads', status: 'unsupported', detail: expect.any(String) },
      ]),
    );
    // The GA4 sink checked the documented shape (a refused request would have made the status "failed").
    const upserts = await received('ga4', '345678901');
    const mine = upserts.filter((r) => r.path.endsWith('userDeletionRequests:upsert') && (r.body.includes(P.userId) || r.body.includes(P.anonymousId)));
    expect(mine.map((r) => JSON.parse(r.body).id.type).sort()).toEqual(['CLIENT_ID', 'USER_ID']);
    expect(mine.every((r) => !r.rejectedFor?.length)).toBe(true);
    // The record is served back, without identifiers.
    const served = await admin(`/v1/admin/privacy/deletions/${record.id}`);
    expect(served.body).toEqual(record);

    // Nothing of the person anywhere: every identifier form, in every D1 table and KV.
    const after = await dumpD1();
    for (const form of forms) {
      expect(after, form).not.toContain(form);
      expect(await dumpKv(), form).not.toContain(form);
    }
    // Their event ids survive only as purge marks (random UUIDs, for the queue consumers).
    const afterWithoutMarks = await dumpD1(['purged_events']);
    for (const id of pEventIds) expect(afterWithoutMarks).not.toContain(id);
    // Everyone else is untouched.
    expect(after).toContain(qEvent);
    expect(after).toContain(await sha256(normalizedValue(META_PROFILE, 'email', Q.email)!));

    // Queued items of the person come out of the queue and are acked unsent, unstored.
    const queuedBefore = first.sent.filter((m) => m.eventId === stillQueued);
    expect(queuedBefore.length).toBe(4);
    const run = await runQueue('sluice-delivery-meta', queued(queuedBefore.filter((m) => m.destinationKey === 'meta')));
    expect(run.explicitAcks.length).toBe(1);
    expect(await received('meta', stillQueued)).toEqual([]);
    await runQueue('sluice-delivery-dlq', queued(queuedBefore.filter((m) => m.destinationKey === 'tiktok'), 9));
    expect(await dumpD1(['purged_events'])).not.toContain(stillQueued);

    // Later events of the person (by any one identifier) are dropped and counted; others pass.
    const laterEvents = [
      { ...event(P), userId: undefined, user: undefined },
      { ...event(Q), user: { email: 'FORGET.ME+x@example.org' } },
      event(Q),
      { ...event(P, 'Odd'), user: undefined, anonymousId: 'someone-else' },
    ];
    const later = await ingest(laterEvents);
    // Not even quarantined: the plan would keep the Odd event aside, but its person is forgotten.
    expect((await env.DB.prepare('SELECT COUNT(*) AS n FROM quarantine WHERE event_id = ?').bind(laterEvents[3]!.eventId).first<{ n: number }>())!.n).toBe(0);
    expect(later.response.status).toBe(200);
    expect(new Set(later.sent.map((m) => m.eventId))).toEqual(new Set([laterEvents[2]!.eventId]));
    const status = await admin('/v1/admin/sites/rights-shop/plan/status');
    expect(status.body.suppressedEvents).toBe(3);
    for (const form of forms) expect(await dumpD1(), form).not.toContain(form);
  });

  it('hashes email and phone on arrival: refuses invalid ones, never stores the clear value, logs the deletion in the audit trail', async () => {
    const bad = await admin('/v1/admin/privacy/deletions', { method: 'POST', body: JSON.stringify({ siteId: 'rights-shop', email: 'not-an-email' }) });
    expect(bad.status).toBe(422);
    expect((await admin('/v1/admin/privacy/deletions', { method: 'POST', body: JSON.stringify({ siteId: 'rights-shop' }) })).status).toBe(422);
    expect((await admin('/v1/admin/privacy/deletions', { method: 'POST', body: JSON.stringify({ siteId: 'no-such-site', email: 'a@b.co' }) })).status).toBe(404);
    const ok = await admin('/v1/admin/privacy/deletions', { method: 'POST', body: JSON.stringify({ siteId: 'rights-shop', email: 'Only.Email.Person@Example.net', phone: '+44 20 7946 0958' }) });
    expect(ok.status).toBe(201);
    expect(ok.body.destinations.find((d: { type: string }) => d.type === 'ga4').status).toBe('nothing-to-send');
    const dump = await dumpD1();
    for (const form of ['Only.Email.Person', 'only.email.person', await sha256('only.email.person@example.net'), '7946', await sha256('442079460958')]) expect(dump).not.toContain(form);
    const audit = await admin('/v1/admin/privacy/audit?site=rights-shop');
    const entry = audit.body.entries.find((e: { detail: { deletionId?: string } | null }) => e.detail?.deletionId === ok.body.id);
    expect(entry).toMatchObject({ action: 'deletion.create', actor: expect.stringMatching(/^admin:[0-9a-f]{12}$/) });
    expect(JSON.stringify(audit.body)).not.toContain(env.ADMIN_TOKEN);
  });
});
