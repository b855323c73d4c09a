import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { parquetReadObjects } from 'hyparquet';
import type { Env } from '../src/env.ts';
import type { PartitionManifest } from '../src/destinations/warehouse/warehouse-manifest.ts';
import { clearPlanCache } from '../src/plan/live-plan.ts';
import { clearPolicyCache } from '../src/consent/live-policy.ts';
import { runRetention } from '../src/rights/run-retention.ts';
import type { SiteConfig } from '../src/site-config/site-config.ts';
import { queued, runQueue, scopedIds, seed } from './destinations.ts';
import { adminCall, ingestRecorded } from './recorded-ingest.ts';

/**
 * Tracking-plan retention classes, enforced by the scheduled job: each stored row of an event
 * whose class expired goes from every store keyed by event id (delivery log, delivered ids,
 * consent audit, dead letters, quarantine, queued items, warehouse); events of other classes and
 * of no class stay.
 */
const ADMIN = { authorization: `Bearer ${env.ADMIN_TOKEN}`, 'content-type': 'application/json' };
const KEY = 'classes_write_key_001';
const SITE = 'classes-shop';
const ORIGIN = 'https://shop.example';
const HOUR = 3_600_000;

function event(name: string, properties: Record<string, unknown> = {}) {
  return {
    type: 'track',
    event: name,
    eventId: crypto.randomUUID(),
    timestamp: new Date().toISOString(),
    anonymousId: `anon-classes-${name}`,
    properties: { value: 1, ...properties },
    consent: { consentMode: { ad_storage: 'granted', ad_user_data: 'granted', ad_personalization: 'granted', analytics_storage: 'granted' } },
    context: { page: { url: 'https://shop.example/' }, userAgent: 'Mozilla/5.0 classes' },
  };
}

const ingest = (events: unknown[]) => ingestRecorded(KEY, events, { origin: ORIGIN });

const admin = adminCall;

async function warehouseRows() {
  const { body } = await admin(`/v1/admin/sites/${SITE}/warehouse/lake/manifests`);
  const rows: Record<string, unknown>[] = [];
  for (const m of body.manifests as PartitionManifest[]) for (const f of m.files) rows.push(...((await parquetReadObjects({ file: await (await env.WAREHOUSE.get(f.key))!.arrayBuffer() })) as Record<string, unknown>[]));
  return rows;
}

/** Which of these event ids each store still holds. */
async function held(eventIds: string[]) {
  const out: Record<string, string[]> = {};
  for (const [table, column] of [['delivery_log', 'event_id'], ['delivered_events', 'event_id'], ['consent_audit', 'event_id'], ['dead_letters', 'event_id'], ['quarantine', 'event_id'], ['purged_events', 'event_id'], ['event_retention', 'event_id']] as const) {
    const { results } = await env.DB.prepare(`SELECT DISTINCT ${column} AS id FROM ${table} WHERE site_id = ? AND ${column} IN (${eventIds.map(() => '?').join(',')})`).bind(SITE, ...eventIds).all<{ id: string }>();
    out[table] = results.map((r) => r.id).sort();
  }
  return out;
}

beforeAll(async () => {
  const ids = scopedIds();
  await seed({ id: SITE, allowedOrigins: [ORIGIN], destinations: { meta: { type: 'meta', pixelId: ids.pixelId, accessTokenSecret: 'META_TOKEN_TEST' }, lake: { type: 'warehouse', prefix: 'classes' } } } as unknown as SiteConfig, KEY);
  await env.CONFIG.delete(`policy:${SITE}`);
  clearPolicyCache();
  const put = await admin(`/v1/admin/sites/${SITE}/plan`, {
    method: 'PUT',
    body: JSON.stringify({
      version: 1,
      mode: 'quarantine',
      unplannedProperties: 'allow',
      retentionClasses: { ephemeral: 'PT6H', short: 'P2D', standard: 'P400D' },
      events: {
        Heartbeat: { retention: 'ephemeral', properties: { value: { type: 'number' } } },
        Search: { retention: 'short', properties: { value: { type: 'number' } } },
        Purchase: { retention: 'standard', properties: { value: { type: 'number' } } },
        Unclassed: { properties: { value: { type: 'number' } } },
      },
    }),
  });
  expect(put.status).toBe(200);
  clearPlanCache();
});

describe('retention classes of the tracking plan', () => {
  it('the scheduled job removes each event when its class expires, from every store, and counts it per class and store', async () => {
    const heartbeat = event('Heartbeat');
    const search = event('Search');
    const purchase = event('Purchase');
    const unclassed = event('Unclassed');
    const searchQuarantined = event('Search', { value: 'not-a-number' });
    const heartbeatDead = event('Heartbeat');
    const all = [heartbeat, search, purchase, unclassed, searchQuarantined, heartbeatDead];
    const t0 = Date.now();
    const run = await ingest(all);
    expect(run.status).toBe(200);
    expect(run.body.accepted).toBe(5);
    // Deliver: Meta for all but the dead one (delivery log + delivered ids), the dead one to the DLQ, the warehouse lands and flushes.
    const meta = run.sent.filter((m) => m.destinationKey === 'meta');
    await runQueue('sluice-delivery-meta', queued(meta.filter((m) => m.eventId !== heartbeatDead.eventId)));
    await runQueue('sluice-delivery-dlq', queued(meta.filter((m) => m.eventId === heartbeatDead.eventId), 9));
    await runQueue('sluice-delivery-warehouse', queued(run.sent.filter((m) => m.destinationKey === 'lake')));
    expect((await admin(`/v1/admin/sites/${SITE}/warehouse/lake/flush`, { method: 'POST' })).status).toBe(200);
    const ids = all.map((e) => e.eventId);
    const before = await held(ids);
    expect(before.delivery_log).toEqual([heartbeat, search, purchase, unclassed, heartbeatDead].map((e) => e.eventId).sort());
    expect(before.dead_letters).toEqual([heartbeatDead.eventId]);
    expect(before.quarantine).toEqual([searchQuarantined.eventId]);
    // Every classed event has its expiry; the unclassed one none.
    expect(before.event_retention).toEqual([heartbeat, search, purchase, searchQuarantined, heartbeatDead].map((e) => e.eventId).sort());
    expect(new Set((await warehouseRows()).map((r) => r.event_id))).toEqual(new Set([heartbeat, search, purchase, unclassed, heartbeatDead].map((e) => e.eventId)));

    // 1 hour later nothing of a class has expired.
    const early = await runRetention(env as Env, t0 + HOUR);
    expect(early.classes[SITE]).toBeUndefined();
    expect(await held(ids)).toEqual(before);

    // 7 hours later: the two ephemeral events go, from every store; the rest stays.
    const first = await runRetention(env as Env, t0 + 7 * HOUR);
    expect(first.classes[SITE]).toMatchObject({ events: 2, byClass: { ephemeral: 2 }, more: false });
    // Delivery log: one row per event and destination (Meta delivered or dead-lettered, the warehouse landed).
    expect(first.classes[SITE]!.stores).toMatchObject({ 'delivery log': 4, 'dead letters': 1, 'queued items': 2, warehouse: 2 });
    // Consent audit: the default policy audited each event at each of the two destinations.
    expect(first.classes[SITE]!.stores['consent audit']).toBe(4);
    const gone = [heartbeat.eventId, heartbeatDead.eventId];
    const afterFirst = await held(ids);
    for (const table of ['delivery_log', 'delivered_events', 'consent_audit', 'dead_letters', 'event_retention'] as const) {
      for (const id of gone) expect(afterFirst[table], table).not.toContain(id);
    }
    // Queued copies (retries still in a queue) are marked, so the consumers drop them.
    expect(afterFirst.purged_events).toEqual([...gone].sort());
    expect(afterFirst.delivery_log).toEqual([search, purchase, unclassed].map((e) => e.eventId).sort());
    expect(afterFirst.quarantine).toEqual([searchQuarantined.eventId]);
    expect(new Set((await warehouseRows()).map((r) => r.event_id))).toEqual(new Set([search, purchase, unclassed].map((e) => e.eventId)));

    // 3 days later: the short class (the quarantined Search included) goes; standard and unclassed stay.
    const second = await runRetention(env as Env, t0 + 72 * HOUR);
    expect(second.classes[SITE]).toMatchObject({ events: 2, byClass: { short: 2 } });
    expect(second.classes[SITE]!.stores).toMatchObject({ quarantine: 1, 'delivery log': 2, 'dead letters': 0 });
    const afterSecond = await held(ids);
    expect(afterSecond.delivery_log).toEqual([purchase, unclassed].map((e) => e.eventId).sort());
    expect(afterSecond.quarantine).toEqual([]);
    expect(afterSecond.event_retention).toEqual([purchase.eventId]);
    expect(new Set((await warehouseRows()).map((r) => r.event_id))).toEqual(new Set([purchase, unclassed].map((e) => e.eventId)));
    // The run's counts are kept.
    const runs = await admin('/v1/admin/privacy/retention/runs');
    expect(runs.body.runs[0].classes[SITE]).toEqual(JSON.parse(JSON.stringify(second.classes[SITE])));
    // Nothing more is due.
    expect((await runRetention(env as Env, t0 + 72 * HOUR)).classes[SITE]).toBeUndefined();
  });

  it('a plan naming an undefined retention class is refused with its path', async () => {
    const bad = await admin(`/v1/admin/sites/${SITE}/plan`, { method: 'PUT', body: JSON.stringify({ version: 1, events: { X: { retention: 'forever', properties: {} } } }) });
    expect(bad.status).toBe(422);
    expect(JSON.stringify(bad.body)).toContain('events.X.retention');
  });
});
