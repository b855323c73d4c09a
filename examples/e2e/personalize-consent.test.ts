// Personalization under a real consent policy and a real TCF CMP: the on-device feature store exists
// only while the policy's `personalization` purpose is granted, and is deleted when it is withdrawn.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, DEMO_WRITE_KEY } from './harness/index.ts';
import { startConsentStack, type ConsentStack } from './consent/consent-stack.ts';
import { makeTcString } from '../../consent/src/testing/make-tc-string.ts';

const ALL = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
const ACCEPT_TC = makeTcString({ purposeConsents: ALL, purposeLegitimateInterests: [2, 7, 8, 9, 10, 11], vendorConsents: [755], vendorLegitimateInterests: [755] });
/** Everything but TCF purposes 5 and 6 (personalised profiles): the policy's `personalization` purpose is denied. */
const NO_PROFILES_TC = makeTcString({ purposeConsents: ALL.filter((p) => p !== 5 && p !== 6), purposeLegitimateInterests: [2, 7, 8, 9, 10, 11], vendorConsents: [755], vendorLegitimateInterests: [755] });

type Sluice = typeof import('../../sdk/src/index.ts');
declare const sluice: Sluice;
declare const cmpChoice: (tc: string) => void;

let stack: ConsentStack;
let browser: Browser;
let cmpScript: string;

beforeAll(async () => {
  const bundled = await build({ entryPoints: [fileURLToPath(new URL('./consent/cmp-driver.ts', import.meta.url))], bundle: true, format: 'iife', write: false, logLevel: 'silent' });
  cmpScript = bundled.outputFiles[0]!.text;
  [stack, browser] = await Promise.all([startConsentStack('DE'), launchChromium()]);
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const databases = (page: Page) => page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name));

it('the feature store follows the policy purpose `personalization`: built after the grant, deleted on withdrawal', async () => {
  const page = await (await browser.newContext()).newPage();
  await page.route(`${stack.gateway.url}/rank-consent/`, (route) => route.fulfill({
    contentType: 'text/html',
    body: `<!doctype html><script>(function () { var q = []; window.__tcfapi = function () { if (!arguments.length) return q; q.push([].slice.call(arguments)); }; })();</script>
      <script>${cmpScript.replace(/<\/script/g, '<\\/script')}</script><script src="/sdk.js"></script>`,
  }));
  const chunks: string[] = [];
  page.on('request', (r) => r.url().includes('sluice-rank') && chunks.push(r.url()));
  await page.goto(`${stack.gateway.url}/rank-consent/`);
  await page.evaluate((key) => sluice.init({ endpoint: location.origin, writeKey: key, consent: true, flushIntervalMs: 100, personalize: { model: 'obd-click-lr' } }), DEMO_WRITE_KEY);
  await page.evaluate(() => sluice.track('Product Viewed', { item_id: 'sku-1', category: 'hats' }));
  await new Promise((r) => setTimeout(r, 800));
  expect(chunks).toEqual([]); // no consent answer yet: the rank chunk is not even loaded
  expect(await databases(page)).not.toContain('sluice-features');

  await page.evaluate((tc) => cmpChoice(tc), ACCEPT_TC);
  await expect.poll(() => chunks.length, { timeout: 10_000 }).toBe(1);
  await page.evaluate(() => sluice.track('Product Viewed', { item_id: 'sku-2', category: 'hats' }));
  await expect.poll(() => databases(page), { timeout: 10_000 }).toContain('sluice-features');

  await page.evaluate((tc) => cmpChoice(tc), NO_PROFILES_TC);
  await expect.poll(() => databases(page), { timeout: 10_000 }).not.toContain('sluice-features');
  expect((await page.evaluate(() => sluice.rank('home', [{ id: 'a' }, { id: 'b' }])))!.source).toBe('consent');
  // measurement is still granted: the SDK's event queue stays, only the personalization store went
  await page.evaluate(() => sluice.track('Product Viewed', { item_id: 'sku-3', category: 'hats' }));
  await new Promise((r) => setTimeout(r, 800));
  expect(await databases(page)).not.toContain('sluice-features');
  await page.context().close();
});
