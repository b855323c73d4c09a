import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, DEMO_WRITE_KEY } from './harness/index.ts';
import { startConsentStack, type ConsentStack } from './consent/consent-stack.ts';
import { makeTcString } from '../../consent/src/testing/make-tc-string.ts';

const ACCEPT_TC = makeTcString({ purposeConsents: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], purposeLegitimateInterests: [2, 7, 8, 9, 10, 11], vendorConsents: [755], vendorLegitimateInterests: [755] });
const DENY_TC = makeTcString({ purposeConsents: [], vendorConsents: [] });

type Sluice = typeof import('../../sdk/src/index.ts');
declare const sluice: Sluice;
declare const cmpChoice: (tc: string) => void;

let stack: ConsentStack;
let browser: Browser;
let cmpScript: string;

beforeAll(async () => {
  const bundled = await build({
    entryPoints: [fileURLToPath(new URL('./consent/cmp-driver.ts', import.meta.url))],
    bundle: true,
    format: 'iife',
    write: false,
    logLevel: 'silent',
  });
  cmpScript = bundled.outputFiles[0]!.text;
  [stack, browser] = await Promise.all([startConsentStack('DE'), launchChromium()]);
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

/** A page on the gateway's origin: the CMP's inline `__tcfapi` stub first, then the real SDK from /sdk.js. */
async function shop(): Promise<Page> {
  const page = await browser.newPage();
  await page.route(`${stack.gateway.url}/consent-shop/`, (route) =>
    route.fulfill({
      contentType: 'text/html',
      body: `<!doctype html><html><head><script>
        (function () { var q = []; window.__tcfapi = function () { if (!arguments.length) return q; q.push([].slice.call(arguments)); }; })();
      </script><script>${cmpScript.replace(/<\/script/g, '<\\/script')}</script><script src="/sdk.js"></script></head><body>shop</body></html>`,
    }),
  );
  await page.goto(`${stack.gateway.url}/consent-shop/`);
  await page.evaluate((key) => sluice.init({ endpoint: location.origin, writeKey: key, consent: true, flushIntervalMs: 100 }), DEMO_WRITE_KEY);
  return page;
}

/** Event ids in the SDK's IndexedDB queue, without creating the database if the SDK never did. */
function storedIds(page: Page): Promise<string[]> {
  return page.evaluate(async (name) => {
    if (!(await indexedDB.databases()).some((db) => db.name === name)) return [];
    return new Promise<string[]>((resolve) => {
      const open = indexedDB.open(name);
      open.onsuccess = () => {
        const db = open.result;
        if (!db.objectStoreNames.contains('events')) return resolve([]);
        const keys = db.transaction('events').objectStore('events').getAllKeys();
        keys.onsuccess = () => {
          db.close();
          resolve(keys.result as string[]);
        };
      };
    });
  }, `sluice-${DEMO_WRITE_KEY}`);
}

function forwarded(): string[] {
  return stack.metaSink.received
    .filter((r) => !r.rejectedFor)
    .flatMap((r) => (JSON.parse(r.body) as { data: { event_id: string }[] }).data.map((e) => e.event_id));
}

it('the real SDK under an EEA policy: denied events are never stored or sent, and a later grant does not release them', async () => {
  const page = await shop();
  const early = await page.evaluate(() => sluice.track('Before the CMP answered')!);
  await page.evaluate((tc) => cmpChoice(tc), DENY_TC);
  const denied = await page.evaluate(() => sluice.track('While denied')!);
  await new Promise((r) => setTimeout(r, 800));
  expect(await storedIds(page)).toEqual([]);
  expect(await page.evaluate(() => sluice.stats()!.droppedConsent)).toBe(2);

  await page.evaluate((tc) => cmpChoice(tc), ACCEPT_TC);
  const granted = await page.evaluate(() => sluice.track('After the grant')!);
  await expect.poll(() => forwarded().includes(granted), { timeout: 20_000 }).toBe(true);
  await new Promise((r) => setTimeout(r, 1000));
  expect(forwarded()).not.toContain(early);
  expect(forwarded()).not.toContain(denied);
  await page.close();
});

it('the real SDK: withdrawing consent purges queued events from IndexedDB before they leave', async () => {
  const page = await shop();
  await page.evaluate((tc) => cmpChoice(tc), ACCEPT_TC);
  await page.context().route('**/v1/batch**', (route) => route.abort());
  const queued = await page.evaluate(() => sluice.track('Queued, then withdrawn')!);
  await expect.poll(() => storedIds(page), { timeout: 10_000 }).toEqual([queued]);
  await page.evaluate((tc) => cmpChoice(tc), DENY_TC);
  await expect.poll(() => storedIds(page), { timeout: 10_000 }).toEqual([]);
  await page.context().unroute('**/v1/batch**');
  await page.evaluate(() => sluice.flush());
  await page.close();
  await new Promise((r) => setTimeout(r, 1500));
  expect(forwarded()).not.toContain(queued);
});

it('the real SDK with a site’s own CMP categories (OneTrust-style groups mapped by the policy)', async () => {
  const own = await startConsentStack('DE', (policy) => {
    policy.jurisdictions[0].signals = { cmp: { measurement: ['C0002'], advertising: ['C0004'] } };
  });
  const page = await browser.newPage();
  try {
    await page.goto(`${own.gateway.url}/demo/playground.html`);
    await page.evaluate((key) => sluice.init({ endpoint: location.origin, writeKey: key, consent: true, flushIntervalMs: 100 }), DEMO_WRITE_KEY);
    const held = await page.evaluate(() => sluice.track('Before the banner')!);
    await page.evaluate(() => sluice.setConsent({ categories: { C0001: true, C0002: true, C0004: true } }));
    const sentToMeta = () =>
      own.metaSink.received.filter((r) => !r.rejectedFor).flatMap((r) => (JSON.parse(r.body) as { data: { event_id: string }[] }).data.map((e) => e.event_id));
    await expect.poll(() => sentToMeta().includes(held), { timeout: 20_000 }).toBe(true);
    await page.evaluate(() => sluice.setConsent({ categories: { C0001: true, C0002: false, C0004: false } }));
    const denied = await page.evaluate(() => sluice.track('After opting out')!);
    const sentinel = await page.evaluate(async () => {
      sluice.setConsent({ categories: { C0001: true, C0002: true, C0004: true } });
      const id = sluice.track('Opted in again')!;
      await sluice.flush();
      return id;
    });
    await expect.poll(() => sentToMeta().includes(sentinel), { timeout: 20_000 }).toBe(true);
    expect(sentToMeta()).not.toContain(denied);
    expect(await page.evaluate(() => sluice.stats()!.droppedConsent)).toBe(1);
  } finally {
    await page.close();
    await own.stop();
  }
});
