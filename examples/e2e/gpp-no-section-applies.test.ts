import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, DEMO_WRITE_KEY } from './harness/index.ts';
import { startConsentStack, type ConsentStack } from './consent/consent-stack.ts';

type Sluice = typeof import('../../sdk/src/index.ts');
declare const sluice: Sluice;

let stack: ConsentStack;
let browser: Browser;
let cmpScript: string;

beforeAll(async () => {
  const bundled = await build({ entryPoints: [fileURLToPath(new URL('./consent/gpp-cmp-driver.ts', import.meta.url))], bundle: true, format: 'iife', write: false, logLevel: 'silent' });
  cmpScript = bundled.outputFiles[0]!.text;
  // A global site that reads GPP everywhere, seen from Brazil: the GPP CMP says no section applies.
  [stack, browser] = await Promise.all([
    startConsentStack('BR', (policy) => {
      policy.jurisdictions[2].signals.gpp = { SaleOptOut: ['advertising'], SharingOptOut: ['advertising'], TargetedAdvertisingOptOut: ['advertising'] };
    }),
    launchChromium(),
  ]);
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

function forwarded(): string[] {
  return stack.metaSink.received
    .filter((r) => !r.rejectedFor)
    .flatMap((r) => (JSON.parse(r.body) as { data: { event_id: string }[] }).data.map((e) => e.event_id));
}

/** The CMP's inline `__gpp` queue stub first (as GPP CMPs ship it), then the real CMP, then the real SDK. */
async function shop(): Promise<{ page: Page; batches: Array<{ status: number; body: { events: Array<{ eventId: string; consent?: Record<string, unknown> }> } }> }> {
  const page = await browser.newPage();
  const batches: Array<{ status: number; body: { events: Array<{ eventId: string; consent?: Record<string, unknown> }> } }> = [];
  page.on('response', (response) => {
    const request = response.request();
    if (!request.url().includes('/v1/batch') || request.method() !== 'POST') return;
    batches.push({ status: response.status(), body: JSON.parse(request.postData() ?? '{}') });
  });
  await page.route(`${stack.gateway.url}/gpp-shop/`, (route) =>
    route.fulfill({
      contentType: 'text/html',
      body: `<!doctype html><html><head><script>
        (function () { var q = []; window.__gpp = function () { if (!arguments.length) return q; q.push([].slice.call(arguments)); }; })();
      </script><script>${cmpScript.replace(/<\/script/g, '<\\/script')}</script><script src="/sdk.js"></script></head><body>shop</body></html>`,
    }),
  );
  await page.goto(`${stack.gateway.url}/gpp-shop/`);
  return { page, batches };
}

it('a GPP CMP answering applicableSections [-1]: the real SDK sends no gppSid, the gateway accepts the events and they reach Meta', async () => {
  const { page, batches } = await shop();
  const ping = await page.evaluate(() => new Promise<{ applicableSections: number[]; signalStatus: string }>((resolve) => (window as unknown as { __gpp: (c: string, cb: (d: unknown) => void) => void }).__gpp('ping', (d) => resolve(d as never))));
  expect(ping).toMatchObject({ applicableSections: [-1], signalStatus: 'ready' });
  await page.evaluate((key) => sluice.init({ endpoint: location.origin, writeKey: key, consent: true, flushIntervalMs: 100 }), DEMO_WRITE_KEY);
  const eventId = await page.evaluate(() => sluice.track('Purchase')!);
  await expect.poll(() => forwarded().includes(eventId), { timeout: 20_000 }).toBe(true);
  const sent = batches.flatMap((b) => b.body.events.map((e) => ({ status: b.status, ...e }))).find((e) => e.eventId === eventId)!;
  expect(sent.status).toBe(200);
  // The GPP signal did travel (the CMP's string, header only), without the negative section id.
  expect(sent.consent).toMatchObject({ gppString: expect.stringMatching(/^D/) });
  expect(sent.consent).not.toHaveProperty('gppSid');
  await page.close();
});

it('the gateway also tolerates gppSid [-1] from an older SDK or another client: 200 and delivered, not 422', async () => {
  const { page } = await shop();
  const result = await page.evaluate(async (key) => {
    const eventId = crypto.randomUUID();
    const event = { type: 'track', event: 'Purchase', eventId, timestamp: new Date().toISOString(), anonymousId: 'gpp-old-sdk', consent: { gppString: 'DBAA', gppSid: [-1] } };
    const response = await fetch(`/v1/batch?key=${key}`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ sentAt: new Date().toISOString(), events: [event] }) });
    return { eventId, status: response.status, body: await response.text() };
  }, DEMO_WRITE_KEY);
  expect(result.status, result.body).toBe(200);
  expect(JSON.parse(result.body)).toMatchObject({ accepted: 1, rejected: [] });
  await expect.poll(() => forwarded().includes(result.eventId), { timeout: 20_000 }).toBe(true);
  await page.close();
});
