import { env, createExecutionContext, runInDurableObject, waitOnExecutionContext } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { parquetReadObjects } from 'hyparquet';
import type { PartitionManifest } from '../src/destinations/warehouse/warehouse-manifest.ts';
import { warehouseWriterFor } from '../src/destinations/warehouse/warehouse-target.ts';
import worker from '../src/index.ts';
import type { Env } from '../src/env.ts';
import { isBatchMessage, itemMessage, queuedDelivery, type DeliveryMessage, type QueuedDelivery } from '../src/delivery/delivery-message.ts';
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

async function ingest(events: unknown[], key = KEY) {
  // Ingest queues batch messages (one per destination, issue 14); the consumer works per item, so
  // each item is kept here as the single-item message it expands to (still consumed as such).
  const sent: DeliveryMessage[] = [];
  const record = (body: QueuedDelivery) => {
    if (!isBatchMessage(body)) return void sent.push(body);
    for (const item of body.items) sent.push(itemMessage(body, item));
  };
  const queue = {
    async send(body: QueuedDelivery) { record(body); },
    async sendBatch(ms: Iterable<{ body: QueuedDelivery }>) { for (const m of ms) record(queuedDelivery(m.body)); },
  };
  const queues = { DELIVERY: queue, DELIVERY_META: queue, DELIVERY_GA4: queue, DELIVERY_GOOGLE_ADS: queue, DELIVERY_TIKTOK: queue, DELIVERY_WAREHOUSE: queue };
  const ctx = createExecutionContext();
  const response = await worker.fetch(
    new Request(`https://gw.example/v1/batch?key=${key}`, { method: 'POST', headers: { origin: ORIGIN, 'content-type': 'text/plain' }, body: JSON.stringify({ sentAt: new Date().toISOString(), events }) }),
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

describe('deletion: the R2 Parquet warehouse', () => {
  const LAKE_KEY = 'rights_lake_key_0001';
  /** Rows of every file a destination's manifests list, by file, plus the manifests. */
  async function warehouse(dest: string) {
    const { body } = await admin(`/v1/admin/sites/rights-lake/warehouse/${dest}/manifests`);
    const manifests = body.manifests as PartitionManifest[];
    const files = new Map<string, Record<string, unknown>[]>();
    for (const m of manifests) {
      for (const f of m.files) {
        const object = await env.WAREHOUSE.get(f.key);
        expect(object, f.key).not.toBeNull();
        files.set(f.key, (await parquetReadObjects({ file: await object!.arrayBuffer() })) as Record<string, unknown>[]);
      }
    }
    return { manifests, files, rows: [...files.values()].flat() };
  }

  it('drops buffered rows and rewrites the landed files of the person (rows kept or read back), manifests switched, others kept', async () => {
    const lakeSite = {
      id: 'rights-lake',
      allowedOrigins: [ORIGIN],
      destinations: {
        lake: { type: 'warehouse', prefix: 'lake' },
        big: { type: 'warehouse', prefix: 'big' },
      },
    } as unknown as SiteConfig;
    await seed(lakeSite, LAKE_KEY);
    const batches = [[event(P), event(Q)], [event(P), event(Q), event(P)], [event(P)]];
    const sentBatches: DeliveryMessage[][] = [];
    for (const events of batches) {
      const { response, sent } = await ingest(events, LAKE_KEY);
      expect(response.status).toBe(200);
      sentBatches.push(sent);
    }
    const pIds = new Set(batches.flat().filter((e) => e.userId === P.userId).map((e) => e.eventId));
    const qIds = new Set(batches.flat().filter((e) => e.userId === Q.userId).map((e) => e.eventId));
    // The first two batches land (flushed); the last stays buffered.
    for (const [i, sent] of sentBatches.entries()) {
      await runQueue('sluice-delivery-warehouse', queued(sent));
      if (i < 2) for (const dest of ['lake', 'big']) expect((await admin(`/v1/admin/sites/rights-lake/warehouse/${dest}/flush`, { method: 'POST' })).status).toBe(200);
    }
    // `lake`'s files are small: the writer keeps their rows for compaction, so a rewrite builds from its ledger.
    // `big` is put in the state of files landed as large (the writer keeps no rows of those), so a rewrite reads the Parquet back from R2.
    await runInDurableObject(warehouseWriterFor(env.WAREHOUSE_WRITER, 'rights-lake', 'big'), async (_instance, state) => {
      expect(state.storage.sql.exec('UPDATE landed SET row = NULL').rowsWritten).toBe(5);
    });
    const before = { lake: await warehouse('lake'), big: await warehouse('big') };
    const pEmailHashes = new Set(before.big.rows.filter((r) => pIds.has(r.event_id as string)).map((r) => r.email_hash as string));
    expect(pEmailHashes.size).toBe(1);
    const [pEmailHash] = [...pEmailHashes];
    expect(typeof pEmailHash).toBe('string');
    expect(before.lake.rows.filter((r) => pIds.has(r.event_id as string))).toHaveLength(3); // the fourth is buffered
    expect(before.big.rows.filter((r) => pIds.has(r.event_id as string))).toHaveLength(3);
    const touched = (files: Map<string, Record<string, unknown>[]>) => [...files].filter(([, rows]) => rows.some((r) => pIds.has(r.event_id as string))).map(([key]) => key);
    const touchedBefore = [...touched(before.lake.files), ...touched(before.big.files)];
    const untouchedBefore = [...before.lake.files.keys(), ...before.big.files.keys()].filter((k) => !touchedBefore.includes(k));
    expect(touchedBefore.length).toBeGreaterThanOrEqual(3);

    const deletion = await admin('/v1/admin/privacy/deletions', { method: 'POST', body: JSON.stringify({ siteId: 'rights-lake', userId: P.userId }) });
    expect(deletion.status).toBe(201);
    // 3 landed + 1 buffered in each destination; every file that held one of them replaced.
    expect(deletion.body.stores.warehouse).toEqual({ found: 8, removed: 8, filesRewritten: touchedBefore.length });
    expect((await admin(`/v1/admin/privacy/deletions/${deletion.body.id}`)).body.stores.warehouse).toEqual(deletion.body.stores.warehouse);

    // The buffered row is gone too: landing everything now adds none of the person's rows.
    for (const dest of ['lake', 'big']) await admin(`/v1/admin/sites/rights-lake/warehouse/${dest}/flush`, { method: 'POST' });
    for (const dest of ['lake', 'big'] as const) {
      const after = await warehouse(dest);
      expect(after.rows.filter((r) => pIds.has(r.event_id as string)), dest).toEqual([]);
      expect(after.rows.filter((r) => r.email_hash === pEmailHash), dest).toEqual([]);
      expect(JSON.stringify(after.rows, (_k, v) => (typeof v === 'bigint' ? String(v) : v))).not.toContain(pEmailHash);
      // Every row of the other person, unchanged.
      expect(new Set(after.rows.map((r) => r.event_id)), dest).toEqual(qIds);
      const qBefore = before[dest].rows.filter((r) => qIds.has(r.event_id as string));
      const byId = (rows: Record<string, unknown>[]) => [...rows].sort((a, b) => String(a.event_id).localeCompare(String(b.event_id)));
      expect(byId(after.rows)).toEqual(byId(qBefore));
      // Manifests agree with the files they list, and list only live objects: the replaced files are deleted.
      for (const m of after.manifests) {
        expect(m.rows).toBe(m.files.reduce((n, f) => n + f.rows, 0));
        for (const f of m.files) expect(after.files.get(f.key)!.length, f.key).toBe(f.rows);
      }
      const listed = new Set(after.manifests.flatMap((m) => m.files.map((f) => f.key)));
      const objects = (await env.WAREHOUSE.list({ prefix: `${dest}/` })).objects.map((o) => o.key).filter((k) => k.endsWith('.parquet'));
      expect(new Set(objects), dest).toEqual(listed);
    }
    for (const key of touchedBefore) expect(await env.WAREHOUSE.head(key), key).toBeNull();
    for (const key of untouchedBefore) expect(await env.WAREHOUSE.head(key), key).not.toBeNull();
  });
});
