import { createHash } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { DEMO_SITE_ID, E2E_ADMIN_TOKEN, launchChromium, startDemoStack, type DemoStack } from './harness/index.ts';

const EMAIL = '  Jane.Doe+Shop@Example.COM ';
/** Meta's documented em normalization: trim, lowercase. */
const EXPECTED_EM = createHash('sha256').update('jane.doe+shop@example.com').digest('hex');

let stack: DemoStack;
let browser: Browser;

beforeAll(async () => {
  [stack, browser] = await Promise.all([startDemoStack(), launchChromium()]);
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

interface MetaBody {
  data: { event_name: string; event_id: string; user_data: Record<string, unknown>; custom_data?: Record<string, unknown> }[];
}

it('a purchase on the demo shop reaches the Meta sink once, with the email hashed and nowhere in clear', async () => {
  const page = await browser.newPage();
  await page.goto(stack.shopUrl);
  // The shop's consent banner (this stack has no policy: the gateway lets everything through).
  await page.click('#cmp-accept');
  await page.click('#products li:nth-child(1) button');
  await page.fill('#email', EMAIL);
  await page.click('#buy');
  await page.waitForSelector('#status:has-text("Thanks")');
  const eventId = (await page.textContent('#status'))!.match(/Purchase (\S+) sent/)![1];

  await expect
    .poll(() => purchases().length, { timeout: 30_000, interval: 250 })
    .toBeGreaterThanOrEqual(1);
  // Give a duplicate delivery the chance to show up before asserting "exactly one".
  await new Promise((r) => setTimeout(r, 1500));

  const received = stack.metaSink.received;
  expect(received.filter((r) => r.rejectedFor)).toEqual([]);
  const bought = purchases();
  expect(bought).toHaveLength(1);
  expect(bought[0]!.event_id).toBe(eventId);
  expect(bought[0]!.user_data.em).toEqual([EXPECTED_EM]);
  expect(bought[0]!.custom_data).toMatchObject({ value: 42.5, currency: 'EUR' });
  expect(received[0]!.path).toMatch(/^\/v\d+\.0\/1234567890123\/events$/);

  // The raw email must appear nowhere: not in any request to the sink, not in the gateway's output.
  const everything = received.map((r) => r.body + JSON.stringify(r.query)).join('\n').toLowerCase();
  for (const needle of ['jane.doe', 'example.com', encodeURIComponent('jane.doe').toLowerCase()]) {
    expect(everything).not.toContain(needle);
  }
  expect(stack.gateway.output().toLowerCase()).not.toContain('jane.doe');
  await page.close();
});

it('the dedup audit sees that the page gave the purchase id to the Meta pixel too', async () => {
  const metaShare = async () => {
    const response = await fetch(`${stack.gateway.url}/v1/admin/sites/${DEMO_SITE_ID}/dedup-audit`, {
      headers: { authorization: `Bearer ${E2E_ADMIN_TOKEN}` },
    });
    return ((await response.json()) as { destinations: Record<string, { pixel: string; alsoSentByPixel: number; serverEvents: number }> }).destinations.meta!;
  };
  await expect.poll(async () => (await metaShare()).alsoSentByPixel, { timeout: 15_000 }).toBe(1);
  const share = await metaShare();
  expect(share.pixel).toBe('meta');
  // The page view was delivered too but never given to a pixel: the share shows it.
  expect(share.serverEvents).toBeGreaterThan(share.alsoSentByPixel);
});

function purchases() {
  return stack.metaSink.received
    .filter((r) => !r.rejectedFor)
    .flatMap((r) => (JSON.parse(r.body) as MetaBody).data)
    .filter((e) => e.event_name === 'Purchase');
}
