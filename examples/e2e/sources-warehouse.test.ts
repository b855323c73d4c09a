import { createHash } from 'node:crypto';
import type { Server } from 'node:http';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Analytics } from '@segment/analytics-node';
import RudderAnalytics from '@rudderstack/rudder-sdk-node';
import { DuckDBInstance } from '@duckdb/node-api';
import { DEMO_WRITE_KEY, E2E_ADMIN_TOKEN, freePort, startGateway, startMetaSink, type RunningSink } from './harness/index.ts';
import { lossyProxy } from './harness/lossy-proxy.ts';
import { DEMO_META_TOKEN_SECRET, demoKvEntries, demoSiteConfig, type RunningGateway } from '../local-stack/index.ts';

/**
 * Real, unmodified server libraries from npm (@segment/analytics-node, @rudderstack/rudder-sdk-node)
 * send to `wrangler dev` through a proxy that answers the first request of each client with a 503
 * after the gateway accepted it (a lost response): the libraries retry, and every event still
 * arrives exactly once at the Meta sink and in the warehouse. The warehouse files are downloaded
 * through the admin route and read by DuckDB, which must find the same events and hashes as the sink.
 */
const SOURCE_SECRET = 'e2e-source-secret-0123456789';
const SERVER_WRITE_KEY = `${DEMO_WRITE_KEY}:${SOURCE_SECRET}`;
const sha = (text: string) => createHash('sha256').update(text).digest('hex');

let gateway: RunningGateway;
let metaSink: RunningSink;
let proxy: Server;
let proxyUrl: string;
const lostResponses = new Set<string>();

beforeAll(async () => {
  metaSink = await startMetaSink();
  const port = await freePort();
  // Server messages that relay no context.location are placed by the site's default (else the strictest reading).
  const site = { ...demoSiteConfig(port), sourceSecret: 'SOURCE_SECRET_E2E', serverSourceLocation: 'US', destinations: { ...demoSiteConfig(port).destinations, lake: { type: 'warehouse' } } };
  gateway = await startGateway({
    port,
    kv: demoKvEntries(port, site),
    vars: { META_API_BASE_URL: metaSink.url, [DEMO_META_TOKEN_SECRET]: 'demo-meta-token', ADMIN_TOKEN: E2E_ADMIN_TOKEN, SOURCE_SECRET_E2E: SOURCE_SECRET },
  });
  proxy = await lossyProxy(gateway.url, lostResponses);
  proxyUrl = `http://127.0.0.1:${(proxy.address() as { port: number }).port}`;
});

afterAll(async () => {
  await new Promise((r) => proxy?.close(r));
  await gateway?.stop();
  await metaSink?.close();
});

interface MetaEvent {
  event_name: string;
  event_id: string;
  user_data: { em?: string[]; external_id?: string[] };
}

function sinkEvents(): MetaEvent[] {
  return metaSink.received.filter((r) => !r.rejectedFor).flatMap((r) => (JSON.parse(r.body) as { data: MetaEvent[] }).data);
}

function countBy<T>(items: T[], key: (item: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of items) out[key(item)] = (out[key(item)] ?? 0) + 1;
  return out;
}

async function admin(path: string, method = 'GET') {
  return fetch(`${gateway.url}/v1/admin/sites/demo-shop/warehouse/${path}`, { method, headers: { authorization: `Bearer ${E2E_ADMIN_TOKEN}` } });
}

it('analytics-node and rudder-sdk-node deliver every event once, hashed, through retries; DuckDB reads the same events from R2 Parquet', async () => {
  const segment = new Analytics({ writeKey: SERVER_WRITE_KEY, host: proxyUrl, path: '/segment/v1/batch', flushAt: 4, flushInterval: 200, maxRetries: 5 });
  const rudder = new RudderAnalytics(SERVER_WRITE_KEY, { dataPlaneUrl: `${proxyUrl}/segment`, flushAt: 4, flushInterval: 200, retryCount: 5, logLevel: 'error' });
  const people = ['Ada@Example.org', 'grace@example.org ', 'LINUS@example.org'];
  for (const [i, email] of people.entries()) {
    const userId = `customer-${i}`;
    segment.identify({ userId, traits: { email } });
    segment.track({ userId, event: 'Order Completed', properties: { revenue: 10 + i, currency: 'EUR', order_id: `seg-${i}` }, context: { traits: { email } } });
    segment.page({ userId, name: 'Home', properties: { url: `https://shop.example/?email=${encodeURIComponent(email)}` } });
    rudder.track({ userId: `r-${userId}`, event: 'Product Added', properties: { price: 5, product_id: `sku-${i}` }, context: { traits: { email } } });
    rudder.track({ userId: `r-${userId}`, event: 'Order Completed', properties: { revenue: 20 + i, currency: 'USD' }, context: { traits: { email } } });
  }
  await segment.closeAndFlush({ timeout: 30_000 });
  await rudder.flush();

  // Identify calls are not conversions (Meta gets none); tracks and pages: 3×2 from Segment, 3×2 from RudderStack.
  await expect.poll(() => sinkEvents().length, { timeout: 60_000, interval: 500 }).toBeGreaterThanOrEqual(12);
  await new Promise((r) => setTimeout(r, 2000));
  const seen = sinkEvents();
  expect(lostResponses.size).toBe(2); // both libraries saw a lost response and retried
  expect(seen).toHaveLength(12);
  expect(new Set(seen.map((e) => e.event_id)).size).toBe(12);
  expect(countBy(seen, (e) => e.event_name)).toEqual({ Purchase: 6, PageView: 3, AddToCart: 3 });
  const hashes = people.map((p) => sha(p.trim().toLowerCase()));
  expect(new Set(seen.flatMap((e) => e.user_data.em ?? []))).toEqual(new Set(hashes));
  const everything = metaSink.received.map((r) => r.body).join('\n').toLowerCase();
  for (const p of people) expect(everything).not.toContain(p.trim().toLowerCase());

  // Warehouse: land what the queue delivered, then read every file listed in the manifests.
  const expectedRows = 12 + 3; // the sink's 12 plus the 3 identifies
  let manifests: Array<{ partition: string; rows: number; files: Array<{ key: string }> }> = [];
  await expect
    .poll(
      async () => {
        await admin('lake/flush', 'POST');
        manifests = ((await (await admin('lake/manifests')).json()) as { manifests: typeof manifests }).manifests;
        return manifests.reduce((n, m) => n + m.rows, 0);
      },
      { timeout: 60_000, interval: 1000 },
    )
    .toBe(expectedRows);
  const dir = mkdtempSync(join(tmpdir(), 'sluice-lake-'));
  for (const file of manifests.flatMap((m) => m.files)) {
    const response = await admin(`lake/objects/${file.key}`);
    expect(response.status).toBe(200);
    const path = join(dir, file.key);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, Buffer.from(await response.arrayBuffer()));
  }
  const duck = await (await DuckDBInstance.create(':memory:')).connect();
  const glob = `${dir}/events/**/*.parquet`;
  const counts = (await duck.runAndReadAll(`SELECT event_name, count(*)::INTEGER AS n FROM read_parquet('${glob}', hive_partitioning = true) WHERE event_name <> 'Identify' GROUP BY 1 ORDER BY 1`)).getRowObjects();
  expect(Object.fromEntries(counts.map((r) => [r.event_name, r.n]))).toEqual(countBy(seen, (e) => e.event_name));
  const ids = (await duck.runAndReadAll(`SELECT event_id, email_hash, external_id_hash FROM read_parquet('${glob}', hive_partitioning = true) WHERE event_name <> 'Identify'`)).getRowObjects();
  const bySink = new Map(seen.map((e) => [e.event_id, e]));
  expect(new Set(ids.map((r) => r.event_id))).toEqual(new Set(bySink.keys()));
  for (const row of ids) {
    const sent = bySink.get(row.event_id as string)!;
    expect(row.email_hash).toBe(sent.user_data.em?.[0] ?? null);
    expect(row.external_id_hash).toBe(sent.user_data.external_id?.[0] ?? null);
  }
  const partitions = (await duck.runAndReadAll(`SELECT DISTINCT site, event FROM read_parquet('${glob}', hive_partitioning = true) ORDER BY 2`)).getRowObjects();
  expect(partitions.map((p) => p.event)).toEqual(['AddToCart', 'Identify', 'PageView', 'Purchase']);
  expect(new Set(partitions.map((p) => p.site))).toEqual(new Set(['demo-shop']));
  // No clear email anywhere in the files, and no full IP.
  const raw = (await duck.runAndReadAll(`SELECT count(*)::INTEGER AS n FROM read_parquet('${glob}') WHERE page_url LIKE '%@%' OR properties::VARCHAR LIKE '%@%' OR ip_truncated NOT LIKE '%.0'`)).getRowObjects();
  expect(raw[0]!.n).toBe(0);
});

it('analytics-node’s integrations switches and relayed context narrow what reaches the Meta sink and the warehouse', async () => {
  const segment = new Analytics({ writeKey: SERVER_WRITE_KEY, host: gateway.url, path: '/segment/v1/batch', flushAt: 10, flushInterval: 200, maxRetries: 2 });
  const tag = `integrations-${Date.now()}`;
  const order = (n: number) => ({ userId: `${tag}-${n}`, event: 'Order Completed', properties: { revenue: n, currency: 'EUR', order_id: `${tag}-${n}` } });
  const ids: string[] = [];
  const track = (params: Parameters<typeof segment.track>[0]) =>
    new Promise<void>((resolve, reject) => segment.track(params, (error, ctx) => (error ? reject(error) : (ids.push(ctx!.event.messageId!), resolve()))));
  await Promise.all([
    // Meta only.
    track({ ...order(1), integrations: { All: false, 'Facebook Conversions API': true } }),
    // Everything but Meta; the server relays its end user's IP and place.
    track({ ...order(2), integrations: { 'Facebook Conversions API': false }, context: { ip: '203.0.113.77', location: { country: 'United States' } } }),
    // Names Sluice has no destination for change nothing.
    track({ ...order(3), integrations: { 'Some Email Tool': false } }),
    // An EEA end user relayed by the (US-configured) server, no consent: consent denies Meta whatever the switches say.
    track({ ...order(4), integrations: { All: true, 'Facebook Conversions API': true, Warehouses: true }, context: { location: { country: 'Germany' } } }),
  ]);
  await segment.closeAndFlush({ timeout: 30_000 });
  const metaIds = () => sinkEvents().filter((e) => (e as MetaEvent & { custom_data?: { order_id?: string } }).custom_data?.order_id?.startsWith(tag));
  await expect.poll(() => metaIds().length, { timeout: 30_000, interval: 500 }).toBeGreaterThanOrEqual(2);
  await new Promise((r) => setTimeout(r, 1500));
  const orderIds = (events: Array<{ custom_data?: { order_id?: string } }>) => events.map((e) => e.custom_data!.order_id).sort();
  expect(orderIds(metaIds() as never)).toEqual([`${tag}-1`, `${tag}-3`]);

  let rows: Array<{ properties: { orderId?: string } | null; ip_truncated: string | null }> = [];
  await expect
    .poll(
      async () => {
        await admin('lake/flush', 'POST');
        const manifests = ((await (await admin('lake/manifests')).json()) as { manifests: Array<{ files: Array<{ key: string }> }> }).manifests;
        const dir = mkdtempSync(join(tmpdir(), 'sluice-lake-int-'));
        for (const file of manifests.flatMap((m) => m.files)) {
          const path = join(dir, file.key);
          mkdirSync(dirname(path), { recursive: true });
          writeFileSync(path, Buffer.from(await (await admin(`lake/objects/${file.key}`)).arrayBuffer()));
        }
        const duck = await (await DuckDBInstance.create(':memory:')).connect();
        const found = (await duck.runAndReadAll(`SELECT properties, ip_truncated FROM read_parquet('${dir}/events/**/*.parquet', union_by_name = true) WHERE properties::VARCHAR LIKE '%${tag}%'`)).getRowObjects();
        rows = found.map((r) => ({ properties: JSON.parse(String(r.properties)), ip_truncated: r.ip_truncated as string | null }));
        return rows.length;
      },
      { timeout: 30_000, interval: 1000 },
    )
    .toBe(2);
  await new Promise((r) => setTimeout(r, 1500));
  // The warehouse got 2 and 3: not 1 (switched off), not 4 (the EEA user gave no measurement consent).
  expect(rows.map((r) => r.properties?.orderId).sort()).toEqual([`${tag}-2`, `${tag}-3`]);
  // The relayed end-user IP landed truncated; the server's own connection gave none.
  expect(rows.find((r) => r.properties?.orderId === `${tag}-2`)!.ip_truncated).toBe('203.0.113.0');
  expect(rows.find((r) => r.properties?.orderId === `${tag}-3`)!.ip_truncated).toBeNull();
  expect(ids).toHaveLength(4);
});
