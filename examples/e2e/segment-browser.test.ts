import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { build } from 'esbuild';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { DEMO_WRITE_KEY, E2E_ADMIN_TOKEN, freePort, launchChromium, startGateway, startMetaSink, type RunningSink } from './harness/index.ts';
import { lossyProxy } from './harness/lossy-proxy.ts';
import { DEMO_META_TOKEN_SECRET, demoKvEntries, demoSiteConfig, type RunningGateway } from '../local-stack/index.ts';
import { repoRoot } from '../local-stack/repo-root.ts';

/**
 * The real @segment/analytics-next from npm (bundled as is for the page, no Segment CDN: inline
 * `cdnSettings`) in Chromium with Sluice as its API host (`apiHost: <gateway>/segment/v1`). Its
 * first request's response is lost on the way (it retries); consent comes as Segment's
 * `context.consent.categoryPreferences` (OneTrust group ids) and the site's policy decides.
 */
const sha = (text: string) => createHash('sha256').update(text).digest('hex');

let gateway: RunningGateway;
let metaSink: RunningSink;
let proxy: Server;
let page: Server;
let browser: Browser;
let pageUrl: string;
const lost = new Set<string>();

/** Advertising needs OneTrust's C0004 (targeting), everywhere (the test runs with no geo). */
const POLICY = {
  version: 1,
  purposes: { analytics: {}, advertising: {} },
  jurisdictions: [{ id: 'all', match: { default: true }, model: 'opt-in', signals: { cmp: { analytics: ['C0002'], advertising: ['C0004'] } }, noSignal: { then: 'deny' } }],
  destinations: { meta: { requires: { all: ['advertising'] } }, lake: { requires: { all: ['analytics'] } } },
};

beforeAll(async () => {
  const [pagePort, port] = [await freePort(), await freePort()];
  const origin = `http://127.0.0.1:${pagePort}`;
  metaSink = await startMetaSink();
  const site = { ...demoSiteConfig(port), allowedOrigins: [origin], destinations: { ...demoSiteConfig(port).destinations, lake: { type: 'warehouse' } } };
  [gateway, browser] = await Promise.all([
    startGateway({ port, kv: demoKvEntries(port, site), vars: { META_API_BASE_URL: metaSink.url, [DEMO_META_TOKEN_SECRET]: 'demo-meta-token', ADMIN_TOKEN: E2E_ADMIN_TOKEN } }),
    launchChromium(),
  ]);
  const put = await fetch(`${gateway.url}/v1/admin/sites/${site.id}/policy`, { method: 'PUT', headers: { authorization: `Bearer ${E2E_ADMIN_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(POLICY) });
  expect(put.status).toBeLessThan(300);
  proxy = await lossyProxy(gateway.url, lost);
  const bundle = await build({
    stdin: { contents: "export { AnalyticsBrowser } from '@segment/analytics-next';", resolveDir: repoRoot(), loader: 'js' },
    bundle: true, format: 'iife', globalName: 'ajs', platform: 'browser', write: false, logLevel: 'silent',
  });
  const script = bundle.outputFiles[0]!.text;
  page = createServer((req, res) => {
    if (req.url === '/ajs.js') return res.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
    res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>shop</title><script src="/ajs.js"></script><h1>shop</h1>');
  });
  await new Promise<void>((resolve) => page.listen(pagePort, '127.0.0.1', resolve));
  pageUrl = `${origin}/shop?email=ada%40example.org`;
});

afterAll(async () => {
  await browser?.close();
  await new Promise((r) => page?.close(r));
  await new Promise((r) => proxy?.close(r));
  await gateway?.stop();
  await metaSink?.close();
});

interface MetaEvent {
  event_name: string;
  event_id: string;
  event_source_url?: string;
  user_data: { em?: string[] };
  custom_data?: { value?: number; currency?: string };
}

const sinkEvents = () => metaSink.received.filter((r) => !r.rejectedFor).flatMap((r) => (JSON.parse(r.body) as { data: MetaEvent[] }).data);

it('analytics-next in Chromium delivers to Sluice: consented events arrive once, hashed; denied ones never leave the gateway', async () => {
  const tab = await browser.newPage();
  await tab.goto(pageUrl);
  const apiHost = `127.0.0.1:${(proxy.address() as { port: number }).port}/segment/v1`;
  const ids = await tab.evaluate(
    async ({ writeKey, apiHost }) => {
      const w = window as unknown as { ajs: { AnalyticsBrowser: any } };
      const [analytics] = await w.ajs.AnalyticsBrowser.load(
        { writeKey, cdnSettings: { integrations: { 'Segment.io': { apiKey: writeKey, apiHost, protocol: 'http' } }, remotePlugins: [] } },
        { integrations: { 'Segment.io': { apiHost, protocol: 'http' } } },
      );
      const granted = { context: { traits: { email: 'Ada@Example.org' }, consent: { categoryPreferences: { C0002: true, C0004: true } } } };
      const denied = { context: { consent: { categoryPreferences: { C0002: true, C0004: false } } } };
      await analytics.identify('customer-1', { email: 'Ada@Example.org' });
      const sent = [];
      for (let i = 0; i < 3; i++) {
        const ctx = await analytics.track('Order Completed', { revenue: 10 + i, currency: 'EUR', order_id: `o-${i}` }, granted);
        sent.push(ctx.event.messageId);
      }
      const page = await analytics.page('Shop', {}, granted);
      const refused = await analytics.track('Order Completed', { revenue: 99, currency: 'EUR' }, denied);
      return { granted: [...sent, page.event.messageId], denied: refused.event.messageId };
    },
    { writeKey: DEMO_WRITE_KEY, apiHost },
  );
  expect(ids.granted).toHaveLength(4);

  await expect.poll(() => sinkEvents().length, { timeout: 60_000, interval: 500 }).toBeGreaterThanOrEqual(4);
  await new Promise((r) => setTimeout(r, 2000));
  expect(lost.size).toBe(1); // the browser's first delivery lost its response and was retried
  const seen = sinkEvents();
  expect(seen.map((e) => e.event_name).sort()).toEqual(['PageView', 'Purchase', 'Purchase', 'Purchase']);
  expect(new Set(seen.map((e) => e.event_id)).size).toBe(4);
  const purchases = seen.filter((e) => e.event_name === 'Purchase');
  expect(purchases.map((e) => e.custom_data?.value).sort()).toEqual([10, 11, 12]);
  // Traits a call carries in its context (Segment's way to send them with a track) arrive hashed.
  for (const e of purchases) expect(e.user_data.em).toEqual([sha('ada@example.org')]);
  // The page URL's email parameter is scrubbed before any destination sees it.
  const all = metaSink.received.map((r) => r.body).join('\n').toLowerCase();
  expect(all).not.toContain('ada@example.org');
  expect(all).not.toContain('ada%40example.org');
  expect(seen.some((e) => e.custom_data?.value === 99)).toBe(false);

  // The warehouse is gated on analytics (C0002), which the refused purchase did grant: it lands there
  // and nowhere else; the identify, sent with no consent signal, lands nowhere (opt-in, no signal → deny).
  const rowsByEvent = async () => {
    const headers = { authorization: `Bearer ${E2E_ADMIN_TOKEN}` };
    await fetch(`${gateway.url}/v1/admin/sites/demo-shop/warehouse/lake/flush`, { method: 'POST', headers });
    const body = (await (await fetch(`${gateway.url}/v1/admin/sites/demo-shop/warehouse/lake/manifests`, { headers })).json()) as { manifests: Array<{ partition: string; rows: number }> };
    return Object.fromEntries(body.manifests.map((m) => [m.partition.split('/event=')[1], m.rows]));
  };
  await expect.poll(rowsByEvent, { timeout: 30_000, interval: 1000 }).toEqual({ PageView: 1, Purchase: 4 });
  await tab.close();
});
