import { SELF, env, createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { beforeEach, describe, expect, it } from 'vitest';
import { parquetReadObjects } from 'hyparquet';
import worker from '../src/index.ts';
import type { Env } from '../src/env.ts';
import type { SiteConfig } from '../src/site-config/site-config.ts';
import type { WarehouseRow } from '../src/destinations/warehouse/warehouse-schema.ts';
import type { PartitionManifest } from '../src/destinations/warehouse/warehouse-manifest.ts';
import { clearPolicyCache } from '../src/consent/live-policy.ts';
import { recordingQueue, perItem, auditFor, type QueuedItem } from './consent-fixtures.ts';
import { ADMIN, queued, received, runQueue, scopedIds, seed, siteWithAll, type SinkName } from './destinations.ts';
import { aggregateShard } from '../src/reports/count-aggregates.ts';
import { AGGREGATE_SHARDS } from '../src/reports/privacy-unit.ts';
import { seedReportSite, dayOf } from './reports-fixtures.ts';

/**
 * Server sources (write key + source secret): Segment `integrations` switches narrow what consent
 * allows (checked at the sinks), and events are placed by what the payload relays about the end
 * user, never by the sending server's own IP or edge geo.
 */

const SECRET = 'server-source-secret-0123456789';
const SERVER_IP = '198.51.100.77';
const QUEUE_OF: Record<string, string> = { meta: 'sluice-delivery-meta', ga4: 'sluice-delivery-ga4', ads: 'sluice-delivery-google-ads', tiktok: 'sluice-delivery-tiktok', lake: 'sluice-delivery-warehouse' };
const SINK_OF: Record<string, SinkName> = { meta: 'meta', ga4: 'ga4', ads: 'googleAds', tiktok: 'tiktok' };
const basic = (writeKey: string) => `Basic ${btoa(`${writeKey}:`)}`;
const ALL_QUEUES = (queue: Queue) => ({ DELIVERY: queue, DELIVERY_META: queue, DELIVERY_GA4: queue, DELIVERY_GOOGLE_ADS: queue, DELIVERY_TIKTOK: queue, DELIVERY_WAREHOUSE: queue });

function serverSite(id: string, extra: Partial<SiteConfig> = {}) {
  const ids = scopedIds();
  const base = siteWithAll(id, ids);
  const site = { ...base, sourceSecret: 'SOURCE_SECRET_TEST', destinations: { ...base.destinations, lake: { type: 'warehouse' } }, ...extra } as SiteConfig;
  return { site, ids, writeKey: `wk_${id.replace(/[^a-z0-9]/g, '')}_${ids.customerId}` };
}

/** POSTs like a server would: from its own IP, in its own (US) edge location, recording every queue. */
async function post(url: string, body: unknown, headers: Record<string, string>) {
  const { sent, queue } = recordingQueue();
  const request = new Request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'cf-connecting-ip': SERVER_IP, 'user-agent': 'analytics-node-next/latest', ...headers },
    body: JSON.stringify(body),
    cf: { country: 'US', regionCode: 'VA' },
  } as RequestInit);
  const ctx = createExecutionContext();
  const response = await worker.fetch(request, { ...(env as Env), SOURCE_SECRET_TEST: SECRET, ...ALL_QUEUES(queue as Queue) } as Env, ctx);
  await waitOnExecutionContext(ctx);
  return { response, body: (await response.json()) as Record<string, any>, raw: sent, sent: await perItem(sent) };
}

const segmentBatch = (writeKey: string, batch: unknown[]) => post('https://gw.example/segment/v1/batch', { batch, sentAt: new Date().toISOString() }, { authorization: basic(`${writeKey}:${SECRET}`) });

function order(extra: Record<string, unknown> = {}, context: Record<string, unknown> = {}) {
  const messageId = crypto.randomUUID();
  return {
    type: 'track',
    event: 'Order Completed',
    messageId,
    userId: `customer-${messageId.slice(0, 8)}`,
    anonymousId: `anon-${messageId.slice(0, 8)}`,
    timestamp: new Date(Date.now() - 5_000).toISOString(),
    properties: { revenue: 10, currency: 'EUR', order_id: `order-${messageId}` },
    context: { traits: { email: `buyer-${messageId.slice(0, 8)}@example.org` }, userAgent: 'Mozilla/5.0 (end user)', ...context },
    ...extra,
  };
}

/** Event ids each sink accepted (GA4 and Google Ads carry the order id `order-<eventId>`). */
function idsIn(key: string, body: any): string[] {
  if (key === 'meta' || key === 'tiktok') return body.data.map((e: { event_id: string }) => e.event_id);
  if (key === 'ga4') return body.events.map((e: { params: { transaction_id: string } }) => e.params.transaction_id.slice('order-'.length));
  return body.conversions.map((c: { orderId: string }) => c.orderId.slice('order-'.length));
}

async function landedRows(siteId: string): Promise<WarehouseRow[]> {
  await SELF.fetch(`https://gw.example/v1/admin/sites/${siteId}/warehouse/lake/flush`, { method: 'POST', headers: ADMIN });
  const body = (await (await SELF.fetch(`https://gw.example/v1/admin/sites/${siteId}/warehouse/lake/manifests`, { headers: ADMIN })).json()) as { manifests: PartitionManifest[] };
  const rows: WarehouseRow[] = [];
  for (const m of body.manifests) for (const f of m.files) rows.push(...((await parquetReadObjects({ file: await (await env.WAREHOUSE.get(f.key))!.arrayBuffer() })) as WarehouseRow[]));
  return rows;
}

/** Runs every queued message through the real consumers to the sinks (and the warehouse); returns the ids each destination received. */
async function deliverAll(site: SiteConfig, ids: ReturnType<typeof scopedIds>, raw: unknown[]): Promise<Record<string, string[]>> {
  const scope: Record<string, string> = { meta: ids.pixelId, ga4: ids.measurementId, ads: ids.customerId, tiktok: ids.pixelCode };
  const byKey = new Map<string, unknown[]>();
  for (const m of raw as Array<{ destinationKey: string }>) byKey.set(m.destinationKey, [...(byKey.get(m.destinationKey) ?? []), m]);
  for (const [key, bodies] of byKey) await runQueue(QUEUE_OF[key]!, queued(bodies as never));
  const out: Record<string, string[]> = {};
  for (const key of Object.keys(SINK_OF)) {
    const requests = (await received(SINK_OF[key]!, scope[key])).filter((r) => !r.rejectedFor && r.status !== undefined && r.status < 300);
    out[key] = requests.flatMap((r) => idsIn(key, JSON.parse(r.body))).sort();
  }
  out.lake = (await landedRows(site.id)).map((r) => r.event_id).sort();
  return out;
}

async function deliveryLog(siteId: string) {
  const { results } = await env.DB.prepare('SELECT destination, event_id, outcome, detail FROM delivery_log WHERE site_id = ? ORDER BY id').bind(siteId).all<{ destination: string; event_id: string; outcome: string; detail: string | null }>();
  return results;
}

const US = { location: { country: 'United States' } };
const items = (sent: QueuedItem[], key: string) => sent.filter((i) => i.destinationKey === key);

describe('Segment integrations switches', () => {
  beforeEach(() => clearPolicyCache());

  it('narrow per event what reaches each sink: All:false + one name, one name false, unknown names ignored', async () => {
    const { site, ids, writeKey } = serverSite('integrations-sinks');
    await seed(site, writeKey);
    const metaOnly = order({ integrations: { All: false, 'Facebook Conversions API': true } }, US);
    const noGa4 = order({ integrations: { 'Google Analytics 4': false } }, US);
    const unknownOff = order({ integrations: { 'Some Email Tool': false, 'Facebook Pixel': false, Mixpanel: { apiKey: 'x' } } }, US);
    const lakeByKey = order({ integrations: { All: false, lake: true, TIKTOK_ADS: true } }, US);
    const { body, raw } = await segmentBatch(writeKey, [metaOnly, noGa4, unknownOff, lakeByKey]);
    expect(body).toMatchObject({ success: true, accepted: 4 });

    const at = await deliverAll(site, ids, raw);
    const sorted = (...events: Array<{ messageId: string }>) => events.map((e) => e.messageId).sort();
    expect(at.meta).toEqual(sorted(metaOnly, noGa4, unknownOff));
    expect(at.ga4).toEqual(sorted(unknownOff));
    expect(at.ads).toEqual(sorted(noGa4, unknownOff));
    expect(at.tiktok).toEqual(sorted(noGa4, unknownOff, lakeByKey));
    expect(at.lake).toEqual(sorted(noGa4, unknownOff, lakeByKey));

    // The log says the sender skipped them (with the deciding key), not consent.
    const log = await deliveryLog(site.id);
    const skipped = log.filter((r) => r.outcome === 'skipped_integrations').map((r) => `${r.destination}:${r.event_id}:${r.detail}`).sort();
    expect(skipped).toEqual(
      [
        `ga4:${metaOnly.messageId}:integrations.All = false`,
        `ads:${metaOnly.messageId}:integrations.All = false`,
        `tiktok:${metaOnly.messageId}:integrations.All = false`,
        `lake:${metaOnly.messageId}:integrations.All = false`,
        `ga4:${noGa4.messageId}:integrations.Google Analytics 4 = false`,
        `meta:${lakeByKey.messageId}:integrations.All = false`,
        `ga4:${lakeByKey.messageId}:integrations.All = false`,
        `ads:${lakeByKey.messageId}:integrations.All = false`,
      ].sort(),
    );
    expect(log.filter((r) => r.outcome === 'dropped_consent')).toEqual([]);

    // The visitor-facing fate and the destination status name the sender, with consent's own verdict kept.
    const fate = await SELF.fetch(`https://gw.example/v1/event-fate?key=${writeKey}&ids=${metaOnly.messageId}`);
    const fates = ((await fate.json()) as { events: Record<string, Record<string, { fate: string; consent: { decision: string } }>> }).events[metaOnly.messageId]!;
    expect(fates.ga4).toMatchObject({ fate: 'skipped_by_sender', consent: { decision: 'allow' } });
    expect(fates.meta!.fate).toBe('delivered');
    const status = (await (await SELF.fetch(`https://gw.example/v1/admin/sites/${site.id}/destinations/status`, { headers: ADMIN })).json()) as Record<string, any>;
    const perDestination = (status.destinations ?? status) as Record<string, { skippedByIntegrations: number; droppedByConsent: number }>;
    expect(perDestination.ga4).toMatchObject({ skippedByIntegrations: 3, droppedByConsent: 0 });
  });

  it('never widen consent: a destination the policy denies stays denied whatever the switches say, and the drop is consent’s', async () => {
    const { site, writeKey } = serverSite('integrations-narrow');
    await seed(site, writeKey);
    // An EEA end user with no consent signal: ad destinations are denied by the default policy.
    const forced = order({ integrations: { All: true, 'Facebook Conversions API': true, meta: true } }, { location: { country: 'DE' } });
    const { sent } = await segmentBatch(writeKey, [forced]);
    expect(items(sent, 'meta')).toEqual([]);
    const log = await deliveryLog(site.id);
    expect(log.find((r) => r.destination === 'meta')).toMatchObject({ outcome: 'dropped_consent' });
    expect(log.some((r) => r.outcome === 'skipped_integrations')).toBe(false);
  });
});

describe('server sources are placed by their end users, never by the sending server', () => {
  beforeEach(() => clearPolicyCache());

  it('an EEA context.location sent from a US server without a consent signal is denied for ad destinations', async () => {
    const { site, writeKey } = serverSite('relayed-eea');
    await seed(site, writeKey);
    const eea = order({}, { location: { country: 'Germany', city: 'Berlin' }, ip: '203.0.113.9' });
    const { body, sent } = await segmentBatch(writeKey, [eea]);
    expect(body.accepted).toBe(1);
    for (const key of ['meta', 'ads', 'tiktok']) expect(items(sent, key), key).toEqual([]);
    const meta = JSON.parse((await auditFor(eea.messageId)).find((a) => a.destination === 'meta')!.receipt);
    expect(meta).toMatchObject({ decision: 'deny', jurisdiction: { id: 'eea-uk-ch', country: 'DE' } });
  });

  it('a US end user is allowed, GPC opt-out honoured for a US-CA one, and the relayed IP is truncated, never the server’s', async () => {
    const { site, writeKey } = serverSite('relayed-us');
    await seed(site, writeKey);
    const us = order({}, { location: { country: 'US', region: 'NY' }, ip: '203.0.113.9' });
    const californian = order({}, { location: { country: 'US', region: 'CA' }, ip: '203.0.113.10', consent: { gpc: true } });
    const { sent } = await segmentBatch(writeKey, [us, californian]);
    expect(items(sent, 'meta').map((i) => i.eventId)).toEqual([us.messageId]);
    const meta = items(sent, 'meta')[0]!.item as { user_data: { client_ip_address?: string; client_user_agent?: string } };
    // The default policy truncates IPs to /24 before any vendor sees them: the end user's, not the server's.
    expect(meta.user_data.client_ip_address).toBe('203.0.113.0');
    expect(meta.user_data.client_user_agent).toBe('Mozilla/5.0 (end user)');
    const gpcReceipt = JSON.parse((await auditFor(californian.messageId)).find((a) => a.destination === 'meta')!.receipt);
    expect(gpcReceipt).toMatchObject({ decision: 'deny', jurisdiction: { id: 'us-states', region: 'CA' } });
    const lake = items(sent, 'lake').map((i) => i.item as WarehouseRow);
    expect(lake.map((r) => r.ip_truncated).sort()).toEqual(['203.0.113.0', '203.0.113.0']);
    expect(lake.every((r) => r.user_agent !== 'analytics-node-next/latest')).toBe(true);
    expect(JSON.stringify(sent)).not.toContain(SERVER_IP);
    expect(JSON.stringify(sent)).not.toContain('203.0.113.9');
  });

  it('no context: the strictest reading without a site default (ads denied, receipt names no stand-in place); the site’s serverSourceLocation when set', async () => {
    const { site, writeKey } = serverSite('relayed-none');
    await seed(site, writeKey);
    const bare = order();
    const strict = await segmentBatch(writeKey, [bare]);
    expect(items(strict.sent, 'meta')).toEqual([]);
    const receipt = JSON.parse((await auditFor(bare.messageId)).find((a) => a.destination === 'meta')!.receipt);
    expect(receipt.jurisdiction).toEqual({ id: 'eea-uk-ch', model: 'opt-in' });
    // Nothing of the server's own connection reached any destination.
    expect(JSON.stringify(strict.sent)).not.toContain(SERVER_IP);
    for (const row of items(strict.sent, 'lake').map((i) => i.item as WarehouseRow)) expect(row.ip_truncated).toBeNull();

    const withDefault = serverSite('relayed-default', { serverSourceLocation: 'US-NY' });
    await seed(withDefault.site, withDefault.writeKey);
    const second = order();
    const allowed = await segmentBatch(withDefault.writeKey, [second]);
    expect(items(allowed.sent, 'meta').map((i) => i.eventId)).toEqual([second.messageId]);
    const defaultReceipt = JSON.parse((await auditFor(second.messageId)).find((a) => a.destination === 'meta')!.receipt);
    expect(defaultReceipt.jurisdiction).toMatchObject({ id: 'elsewhere', country: 'US', region: 'NY' });
  });

  it('Sluice’s own /v1/batch server senders (Bearer source secret) relay context.ip/location the same way; browsers cannot', async () => {
    const { site, writeKey } = serverSite('relayed-v1');
    await seed(site, writeKey);
    const event = (location: Record<string, string>) => ({
      type: 'track', event: 'Purchase', eventId: crypto.randomUUID(), timestamp: new Date().toISOString(), anonymousId: 'a-1',
      user: { email: 'v1@example.org' }, context: { ip: '192.0.2.33', location, userAgent: 'Mozilla/5.0 (v1 end user)' },
    });
    const eea = event({ country: 'FR' });
    const us = event({ country: 'US' });
    const server = await post(`https://gw.example/v1/batch?key=${writeKey}`, { sentAt: new Date().toISOString(), events: [eea, us] }, { authorization: `Bearer ${SECRET}` });
    expect(server.body).toMatchObject({ accepted: 2 });
    expect(items(server.sent, 'meta').map((i) => i.eventId)).toEqual([us.eventId]);
    expect((items(server.sent, 'meta')[0]!.item as any).user_data.client_ip_address).toBe('192.0.2.0');

    // A browser cannot claim an IP or a place: such an event is rejected (the others go on), and its connection's stand.
    const { sent, queue } = recordingQueue();
    const browserEvent = event({ country: 'DE' });
    const { ip: _ip, location: _location, ...ownContext } = event({}).context;
    const plain = { ...event({}), context: ownContext };
    const request = new Request(`https://gw.example/v1/batch?key=${writeKey}`, {
      method: 'POST',
      headers: { origin: 'https://shop.example', 'content-type': 'text/plain', 'cf-connecting-ip': '203.0.113.200' },
      body: JSON.stringify({ sentAt: new Date().toISOString(), events: [browserEvent, plain] }),
      cf: { country: 'US' },
    } as RequestInit);
    const ctx = createExecutionContext();
    const response = await worker.fetch(request, { ...(env as Env), ...ALL_QUEUES(queue as Queue) } as Env, ctx);
    await waitOnExecutionContext(ctx);
    expect(response.status).toBe(200);
    const answer = (await response.json()) as { accepted: number; rejected: Array<{ index: number; message: string }> };
    expect(answer).toMatchObject({ accepted: 1, rejected: [{ index: 0 }] });
    expect(answer.rejected[0]!.message).toContain('context.ip');
    const browserItems = await perItem(sent);
    expect(items(browserItems, 'meta').map((i) => i.eventId)).toEqual([plain.eventId]);
    expect((items(browserItems, 'meta')[0]!.item as any).user_data.client_ip_address).toBe('203.0.113.0');
    expect(JSON.stringify(browserItems)).not.toContain('192.0.2.');
  });
});

describe('aggregates count a server source’s events where their end users are', () => {
  it('an EEA or unplaced end user without a signal is not counted; a US one is, under its own country', async () => {
    const id = 'relayed-reports';
    const writeKey = 'wk_relayed_reports_01';
    const site = await seedReportSite(id);
    await seed({ ...site, sourceSecret: 'SOURCE_SECRET_TEST' } as SiteConfig, writeKey);
    const visit = (n: number, context: Record<string, unknown>) => ({ ...order({ anonymousId: `relayed-visitor-${n}` }, { campaign: { name: 'spring' }, ...context }), context: { campaign: { name: 'spring' }, ...context } });
    const { body } = await segmentBatch(writeKey, [visit(1, { location: { country: 'DE' } }), visit(2, { location: { country: 'US', region: 'NY' } }), visit(3, { location: { country: 'FR' } }), visit(4, {})]);
    expect(body.accepted).toBe(4);
    const day = dayOf(Date.now());
    const rows = (await Promise.all(Array.from({ length: AGGREGATE_SHARDS }, (_, i) => aggregateShard(env as Env, id, i).totals(day, day)))).flat();
    const counted = rows.filter((r) => r.units > 0).map((r) => JSON.parse(r.partition) as Record<string, string>);
    // Only the US visitor: the request itself came from a US server, which used to count all four.
    expect(rows.reduce((n, r) => n + r.units, 0)).toBe(1);
    expect(counted[0]).toMatchObject({ event: 'Purchase', utmCampaign: 'spring' });
    expect(counted[0]!.countryGroup).not.toBe('eu');
  });
});
