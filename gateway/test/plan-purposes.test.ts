import { env, createExecutionContext } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { parquetReadObjects } from 'hyparquet';
import worker from '../src/index.ts';
import type { Env } from '../src/env.ts';
import { queuedDelivery, type DeliveryMessage, type QueuedDelivery } from '../src/delivery/delivery-message.ts';
import type { PartitionManifest } from '../src/destinations/warehouse/warehouse-manifest.ts';
import { clearPlanCache } from '../src/plan/live-plan.ts';
import { clearPolicyCache } from '../src/consent/live-policy.ts';
import type { SiteConfig } from '../src/site-config/site-config.ts';
import { queued, received, runQueue, scopedIds, seed } from './destinations.ts';
import { adminCall, ingestRecorded } from './recorded-ingest.ts';

/**
 * Per-property consent purposes of the tracking plan, enforced at ingest: a property whose declared
 * purposes the visitor did not all grant is dropped before anything is queued or stored — for
 * every destination, the warehouse included — and is counted, simulated and kept out of quarantine.
 */
const ADMIN = { authorization: `Bearer ${env.ADMIN_TOKEN}`, 'content-type': 'application/json' };
const KEY = 'purposes_write_key_01';
const SITE = 'purposes-shop';
const ORIGIN = 'https://shop.example';
/** Values unique enough to search for in every sink, queue body, D1 table and Parquet file. */
const AD_VALUE = 918273.5;
const AD_TEXT = 'AdOnlyCampaignToken-6150';
const MEASURE_TEXT = 'MeasureCoupon-4411';

let ids: ReturnType<typeof scopedIds>;

const plan = (mode = 'reject') => ({
  version: 1,
  mode,
  unplannedProperties: 'allow',
  events: {
    Purchase: {
      properties: {
        value: { type: 'number', required: true, purposes: ['advertising'] },
        campaign: { type: 'string', purposes: ['advertising', 'measurement'] },
        coupon: { type: 'string', purposes: ['measurement'] },
        currency: { type: 'string' },
        sku: { type: 'string', pattern: '^sku-[0-9]+$' },
      },
    },
  },
});

function purchase(consent: Record<string, unknown>, properties: Record<string, unknown> = {}) {
  return {
    type: 'track',
    event: 'Purchase',
    eventId: crypto.randomUUID(),
    timestamp: new Date().toISOString(),
    anonymousId: 'anon-purposes-1',
    properties: { value: AD_VALUE, campaign: AD_TEXT, coupon: MEASURE_TEXT, currency: 'eur', sku: 'sku-1', ...properties },
    consent,
    context: { page: { url: 'https://shop.example/checkout' }, userAgent: 'Mozilla/5.0 purposes' },
  };
}

const MEASUREMENT_ONLY = { consentMode: { ad_storage: 'denied', ad_user_data: 'denied', ad_personalization: 'denied', analytics_storage: 'granted' } };
const EVERYTHING = { consentMode: { ad_storage: 'granted', ad_user_data: 'granted', ad_personalization: 'granted', analytics_storage: 'granted' } };

const ingest = (events: unknown[], cf: Record<string, string> = { country: 'DE' }) => ingestRecorded(KEY, events, { origin: ORIGIN, cf });

const admin = adminCall;

async function putPlan(document: unknown) {
  const put = await admin(`/v1/admin/sites/${SITE}/plan`, { method: 'PUT', body: JSON.stringify(document) });
  expect(put.status).toBe(200);
  clearPlanCache();
}

/** Every Parquet row the warehouse destination landed, after delivering and flushing. */
async function landed(messages: DeliveryMessage[]) {
  await runQueue('sluice-delivery-warehouse', queued(messages));
  expect((await admin(`/v1/admin/sites/${SITE}/warehouse/warehouse/flush`, { method: 'POST' })).status).toBe(200);
  const { body } = await admin(`/v1/admin/sites/${SITE}/warehouse/warehouse/manifests`);
  const rows: Record<string, unknown>[] = [];
  for (const m of body.manifests as PartitionManifest[]) for (const f of m.files) rows.push(...((await parquetReadObjects({ file: await (await env.WAREHOUSE.get(f.key))!.arrayBuffer() })) as Record<string, unknown>[]));
  return rows;
}

const text = (value: unknown) => JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? String(v) : v));

async function dumpD1(): Promise<string> {
  const { results } = await env.DB.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_cf%' ESCAPE '\\' AND name NOT LIKE 'sqlite%' AND name != 'd1_migrations'").all<{ name: string }>();
  let out = '';
  for (const { name } of results) out += `${name}:${JSON.stringify((await env.DB.prepare(`SELECT * FROM ${name}`).all()).results)}\n`;
  return out;
}

beforeAll(async () => {
  ids = scopedIds();
  const site = {
    id: SITE,
    allowedOrigins: [ORIGIN],
    destinations: {
      meta: { type: 'meta', pixelId: ids.pixelId, accessTokenSecret: 'META_TOKEN_TEST' },
      ga4: { type: 'ga4', measurementId: ids.measurementId, apiSecretSecret: 'GA4_SECRET_TEST' },
      warehouse: { type: 'warehouse', prefix: 'purposes' },
    },
  } as unknown as SiteConfig;
  await seed(site, KEY);
  await env.CONFIG.delete(`policy:${SITE}`);
  clearPolicyCache();
  await putPlan(plan());
});

describe('per-property consent purposes at ingest', () => {
  it('a property needing advertising never leaves the gateway when only measurement is granted: not at GA4, not in the warehouse, not queued, not stored', async () => {
    const event = purchase(MEASUREMENT_ONLY);
    const run = await ingest([event]);
    // Accepted although `value` is required: its absence is the visitor's choice, not a plan violation.
    expect(run.response.status).toBe(200);
    expect(run.body).toMatchObject({ accepted: 1, rejected: [] });
    // Meta needs advertising: nothing queued for it. GA4 and the warehouse get the event without the advertising properties.
    expect(new Set(run.sent.map((m) => m.destinationKey))).toEqual(new Set(['ga4', 'warehouse']));
    const queuedText = text(run.sent);
    expect(queuedText).not.toContain(String(AD_VALUE));
    expect(queuedText).not.toContain(AD_TEXT);
    expect(queuedText).toContain(MEASURE_TEXT);

    await runQueue('sluice-delivery-ga4', queued(run.sent.filter((m) => m.destinationKey === 'ga4')));
    const atGa4 = await received('ga4', ids.measurementId);
    expect(atGa4.length).toBeGreaterThan(0);
    const ga4Text = text(atGa4.filter((r) => r.body.includes('purchase')));
    // GA4 gets standard params only: `currency` (no purposes) arrives, `value` (advertising) does not.
    expect(ga4Text).toContain('EUR');
    expect(ga4Text).not.toContain(String(AD_VALUE));
    expect(ga4Text).not.toContain(AD_TEXT);

    const rows = await landed(run.sent.filter((m) => m.destinationKey === 'warehouse'));
    const mine = rows.filter((r) => r.event_id === event.eventId);
    expect(mine).toHaveLength(1);
    expect(text(mine)).toContain(MEASURE_TEXT);
    expect(text(rows)).not.toContain(String(AD_VALUE));
    expect(text(rows)).not.toContain(AD_TEXT);
    const d1 = await dumpD1();
    expect(d1).not.toContain(String(AD_VALUE));
    expect(d1).not.toContain(AD_TEXT);

    // Counted per event and rule in the site status.
    const status = await admin(`/v1/admin/sites/${SITE}/plan/status`);
    expect(status.body.withheldByConsent).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ event: 'Purchase', rule: 'properties.value:purposes', action: 'withheld', count: 1 }),
        expect.objectContaining({ event: 'Purchase', rule: 'properties.campaign:purposes', action: 'withheld', count: 1 }),
      ]),
    );
    expect(status.body.withheldByConsent.some((v: { rule: string }) => v.rule === 'properties.coupon:purposes')).toBe(false);
  });

  it('with every purpose granted the same properties reach Meta, GA4 and the warehouse', async () => {
    const event = purchase(EVERYTHING);
    const run = await ingest([event]);
    expect(run.body.accepted).toBe(1);
    const meta = run.sent.filter((m) => m.destinationKey === 'meta');
    expect(meta).toHaveLength(1);
    await runQueue('sluice-delivery-meta', queued(meta));
    expect(text(await received('meta', ids.pixelId))).toContain(String(AD_VALUE));
    await runQueue('sluice-delivery-ga4', queued(run.sent.filter((m) => m.destinationKey === 'ga4')));
    expect(text(await received('ga4', ids.measurementId))).toContain(String(AD_VALUE));
    const rows = (await landed(run.sent.filter((m) => m.destinationKey === 'warehouse'))).filter((r) => r.event_id === event.eventId);
    expect(text(rows)).toContain(AD_TEXT);
  });

  it('a US visitor with Global Privacy Control keeps measurement data and loses advertising data everywhere', async () => {
    const event = purchase({});
    const run = await ingest([event], { country: 'US', regionCode: 'CA' });
    expect(run.body.accepted).toBe(1);
    expect(text(run.sent)).toContain(String(AD_VALUE)); // no opt-out: advertising granted under opt-out rules
    const gpc = purchase({ gpc: true });
    const out = await ingest([gpc], { country: 'US', regionCode: 'CA' });
    expect(out.body.accepted).toBe(1);
    const outText = text(out.sent);
    expect(outText).toContain(MEASURE_TEXT);
    expect(outText).not.toContain(String(AD_VALUE));
    expect(outText).not.toContain(AD_TEXT);
  });

  it('quarantine never keeps a withheld property; a plan violation of a withheld property does not count', async () => {
    await putPlan(plan('quarantine'));
    // sku breaks its pattern: quarantined. value/campaign were not consented: not even in quarantine.
    const bad = purchase(MEASUREMENT_ONLY, { sku: 'SKU-bad', value: 'not a number' });
    const run = await ingest([bad]);
    expect(run.body.rejected[0].message).toMatch(/^quarantined by the tracking plan: properties\.sku/);
    expect(run.body.rejected[0].message).not.toContain('properties.value');
    const row = await env.DB.prepare('SELECT event FROM quarantine WHERE event_id = ?').bind(bad.eventId).first<{ event: string }>();
    expect(row).not.toBeNull();
    expect(row!.event).toContain(MEASURE_TEXT);
    expect(row!.event).not.toContain(AD_TEXT);
    expect(row!.event).not.toContain('not a number');
    // Replayed under a fixed plan: passes (`value` excused again), still without the withheld properties.
    const fixed = plan('quarantine');
    (fixed.events.Purchase.properties.sku as Record<string, unknown>).pattern = '^(sku|SKU)-';
    await putPlan(fixed);
    const sentOnReplay: QueuedDelivery[] = [];
    const queue = { send: async (b: QueuedDelivery) => void sentOnReplay.push(b), sendBatch: async (ms: Iterable<{ body: QueuedDelivery }>) => { for (const m of ms) sentOnReplay.push(queuedDelivery(m.body)); } };
    const replay = await worker.fetch(
      new Request(`https://gw.example/v1/admin/sites/${SITE}/plan/quarantine/replay`, { method: 'POST', headers: ADMIN, body: JSON.stringify({}) }),
      { ...(env as Env), DELIVERY: queue, DELIVERY_GA4: queue, DELIVERY_META: queue, DELIVERY_WAREHOUSE: queue } as unknown as Env,
      createExecutionContext(),
    );
    expect(await replay.json()).toMatchObject({ replayed: 1, stillViolating: 0 });
    expect(text(sentOnReplay)).toContain(MEASURE_TEXT);
    expect(text(sentOnReplay)).not.toContain(AD_TEXT);
    await putPlan(plan());
  });

  it('a plan naming a purpose the consent policy does not define is refused with its path', async () => {
    const bad = plan();
    (bad.events.Purchase.properties.coupon as Record<string, unknown>).purposes = ['measurement', 'marketing'];
    const put = await admin(`/v1/admin/sites/${SITE}/plan`, { method: 'PUT', body: JSON.stringify(bad) });
    expect(put.status).toBe(422);
    expect(put.body.issues).toEqual([{ path: 'events.Purchase.properties.coupon.purposes.1', message: expect.stringContaining('"marketing" is not defined') }]);
  });

  it('the simulator shows what consent withholds, for a given visitor', async () => {
    const event = purchase(MEASUREMENT_ONLY);
    const sim = await admin(`/v1/admin/sites/${SITE}/plan/simulate`, { method: 'POST', body: JSON.stringify({ event, visitor: { country: 'DE' } }) });
    expect(sim.status).toBe(200);
    expect(sim.body.action).toBe('accept');
    expect(sim.body.purposes).toMatchObject({ advertising: 'denied', measurement: 'granted' });
    expect(sim.body.withheld).toEqual([
      { path: 'properties.value', missing: ['advertising'] },
      { path: 'properties.campaign', missing: ['advertising'] },
    ]);
    expect(Object.keys(sim.body.event.properties).sort()).toEqual(['coupon', 'currency', 'sku']);
    const all = await admin(`/v1/admin/sites/${SITE}/plan/simulate`, { method: 'POST', body: JSON.stringify({ event: purchase(EVERYTHING), visitor: { country: 'DE' } }) });
    expect(all.body.withheld).toEqual([]);
    expect(all.body.event.properties.value).toBe(AD_VALUE);
  });
});
