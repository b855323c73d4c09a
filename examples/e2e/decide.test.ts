import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { DEMO_SITE_ID, E2E_ADMIN_TOKEN, launchChromium, startDemoStack, type DemoStack } from './harness/index.ts';

let stack: DemoStack;
let browser: Browser;
const admin = { authorization: `Bearer ${E2E_ADMIN_TOKEN}`, 'content-type': 'application/json' };

beforeAll(async () => {
  [stack, browser] = await Promise.all([startDemoStack(), launchChromium()]);
  const put = await fetch(`${stack.gateway.url}/v1/admin/sites/${DEMO_SITE_ID}/experiments/hero`, {
    method: 'PUT',
    headers: admin,
    body: JSON.stringify({
      slot: 'hero',
      arms: [
        { id: 'classic', payload: { title: 'Handmade models for canal people' } },
        { id: 'sale', payload: { title: 'Lock season sale: 20 % off' } },
        { id: 'new', payload: { title: 'New: the 1:87 swing bridge' } },
      ],
      defaultArm: 'classic',
      algorithm: { type: 'thompson' },
      context: { features: [{ name: 'device', type: 'category', values: ['mobile', 'desktop'] }], dimension: 3 },
      floor: 0.05,
      reward: { type: 'conversion', event: 'Purchase', window: 'P1D' },
      // wrangler dev on a loaded CI machine: the decision itself is under test here, not its latency.
      budgetMs: 1000,
    }),
  });
  expect(put.status).toBe(200);
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

async function decisionRow(decisionId: string) {
  const response = await fetch(`${stack.gateway.url}/v1/admin/sites/${DEMO_SITE_ID}/experiments/hero/decisions`, { headers: admin });
  const rows = (await response.text()).trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as { decisionId: string; reward: number | null; propensity: number });
  return rows.find((r) => r.decisionId === decisionId);
}

it('the hero slot gets a decision from the gateway, keeps it for the session, and the purchase rewards it', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(stack.shopUrl);
  await page.waitForSelector('#hero[data-decision]', { timeout: 20_000 });
  const arm = await page.getAttribute('#hero', 'data-arm');
  const decisionId = (await page.getAttribute('#hero', 'data-decision'))!;
  expect(['classic', 'sale', 'new']).toContain(arm);
  expect(decisionId).toMatch(/^hero\./);
  const row = await decisionRow(decisionId);
  expect(row!.propensity).toBeGreaterThanOrEqual(0.05);

  // Same session, next page: the same variant, without asking the gateway again.
  let asked = 0;
  page.on('request', (r) => r.url().includes('/v1/decide') && asked++);
  await page.reload();
  await page.waitForSelector('#hero[data-decision]');
  expect(await page.getAttribute('#hero', 'data-decision')).toBe(decisionId);
  expect(asked).toBe(0);

  // The purchase carries the session's decision ids; the gateway joins it to the decision.
  // (Checkout as on the shop: a product in the cart and an email for the receipt; the banner answered.)
  await page.click('#cmp-accept');
  await page.click('#products li:nth-child(1) button');
  await page.fill('#email', 'hero.buyer@example.com');
  await page.click('#buy');
  await page.waitForSelector('#status:has-text("Thanks")');
  await expect.poll(async () => (await decisionRow(decisionId))?.reward, { timeout: 30_000, interval: 300 }).toBe(1);
  await context.close();
});

it('a gateway that does not answer in time leaves the default hero and never blocks the page', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.route('**/v1/decide**', async (route) => {
    await new Promise((r) => setTimeout(r, 3000));
    await route.continue().catch(() => undefined);
  });
  const started = Date.now();
  await page.goto(stack.shopUrl);
  // The page is usable right away, with the default hero.
  await page.waitForSelector('#buy');
  expect(await page.textContent('#hero h2')).toBe('Handmade models for canal people');
  await page.waitForSelector('#hero[data-fallback="true"]', { timeout: 2500 });
  expect(Date.now() - started).toBeLessThan(3000);
  expect(await page.getAttribute('#hero', 'data-arm')).toBe('classic');
  await context.close();
});
