import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DEMO_WRITE_KEY, launchChromium, startDemoStack, type DemoStack } from './harness/index.ts';

let stack: DemoStack;
let browser: Browser;

beforeAll(async () => {
  [stack, browser] = await Promise.all([startDemoStack(), launchChromium()]);
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});
beforeEach(() => {
  stack.metaSink.received.length = 0;
});

type Sluice = typeof import('../../sdk/src/index.ts');
declare const sluice: Sluice;

/** The event ids the Meta sink received (each forwarded event, as often as it arrived). */
function forwarded(): string[] {
  return stack.metaSink.received
    .filter((r) => !r.rejectedFor)
    .flatMap((r) => (JSON.parse(r.body) as { data: { event_id: string }[] }).data.map((e) => e.event_id));
}

/** Every event id in every batch the page(s) sent to the gateway: fetches and beacons alike. */
function recordBatches(target: BrowserContext | Page): string[] {
  const sent: string[] = [];
  target.on('request', (request) => {
    if (!request.url().includes('/v1/batch') || request.method() !== 'POST') return;
    const body = JSON.parse(request.postData() ?? '{}') as { events?: { eventId: string }[] };
    sent.push(...(body.events ?? []).map((e) => e.eventId));
  });
  return sent;
}

async function playground(context: BrowserContext, options: Record<string, unknown> = {}): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${stack.gateway.url}/demo/playground.html`);
  await init(page, options);
  return page;
}

async function init(page: Page, options: Record<string, unknown> = {}): Promise<void> {
  await page.evaluate(
    ([key, extra]) => sluice.init({ endpoint: location.origin, writeKey: key as string, flushIntervalMs: 100, ...(extra as object) }),
    [DEMO_WRITE_KEY, options] as const,
  );
  // The persistent queue is opened asynchronously (a lazily loaded chunk); tests start once it is there.
  await page.waitForFunction(async (name) => (await indexedDB.databases()).some((db) => db.name === name), `sluice-${DEMO_WRITE_KEY}`);
}

function track(page: Page, names: string[]): Promise<string[]> {
  return page.evaluate((list) => list.map((name) => sluice.track(name)!), names);
}

/** Events waiting in the SDK's IndexedDB queue. */
function storedIds(page: Page): Promise<string[]> {
  return page.evaluate(
    (key) =>
      new Promise<string[]>((resolve) => {
        const open = indexedDB.open(`sluice-${key}`);
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains('events')) return resolve([]);
          const all = db.transaction('events').objectStore('events').getAllKeys();
          all.onsuccess = () => resolve(all.result as string[]);
        };
        open.onerror = () => resolve([]);
      }),
    DEMO_WRITE_KEY,
  );
}

const settle = (ms = 1500) => new Promise((r) => setTimeout(r, ms));

describe('the SDK never loses an event (Chromium → wrangler dev → Meta sink)', () => {
  it('offline then online: events wait and are delivered once the network is back', async () => {
    const context = await browser.newContext();
    const page = await playground(context);
    await context.setOffline(true);
    const ids = await track(page, ['Offline 1', 'Offline 2', 'Offline 3']);
    await settle(800);
    expect(forwarded()).toEqual([]);
    expect((await storedIds(page)).sort()).toEqual([...ids].sort());
    await context.setOffline(false);
    await expect.poll(() => ids.filter((id) => forwarded().includes(id)).length, { timeout: 20_000 }).toBe(3);
    await context.close();
  });

  it('reload with queued events: the next page load sends what the last one could not', async () => {
    const context = await browser.newContext();
    const page = await playground(context);
    await context.route('**/v1/batch**', (route) => route.abort());
    const ids = await track(page, ['Queued 1', 'Queued 2']);
    await settle(500);
    expect((await storedIds(page)).sort()).toEqual([...ids].sort());
    await page.reload(); // the pagehide beacon is refused as well
    expect((await storedIds(page)).sort()).toEqual([...ids].sort());
    await context.unroute('**/v1/batch**');
    await settle(500);
    expect(forwarded()).toEqual([]);
    await init(page);
    await expect.poll(() => ids.filter((id) => forwarded().includes(id)).length, { timeout: 20_000 }).toBe(2);
    await expect.poll(() => storedIds(page), { timeout: 10_000 }).toEqual([]);
    await context.close();
  });

  it('delivery on pagehide: events still waiting for their batch timer leave with the page', async () => {
    const context = await browser.newContext();
    const page = await playground(context, { flushIntervalMs: 600_000, batchSize: 1000 });
    const ids = await track(page, ['Leaving 1', 'Leaving 2', 'Leaving 3', 'Leaving 4']);
    await settle(300);
    expect(forwarded()).toEqual([]);
    await page.goto('about:blank');
    await expect.poll(() => ids.filter((id) => forwarded().includes(id)).length, { timeout: 20_000 }).toBe(4);
    await context.close();
  });

  it('leaving with more than one unload budget of events: the rest arrive with the next page view', async () => {
    const context = await browser.newContext();
    const page = await playground(context, { flushIntervalMs: 600_000, batchSize: 100_000 });
    const ids = await page.evaluate(() => Array.from({ length: 1000 }, (_, i) => sluice.track('Burst', { i, note: 'x'.repeat(100) })!));
    await page.goto(`${stack.gateway.url}/demo/playground.html`); // leave at once, then come back
    await expect.poll(() => ids.filter((id) => forwarded().includes(id)).length, { timeout: 10_000 }).toBeGreaterThan(0);
    expect(ids.filter((id) => forwarded().includes(id)).length).toBeLessThan(1000); // one unload budget is not enough
    await init(page);
    await expect.poll(() => ids.filter((id) => forwarded().includes(id)).length, { timeout: 30_000 }).toBe(1000);
    await context.close();
  });

  it('two tabs: every event is sent once, and forwarded once', async () => {
    const context = await browser.newContext();
    const sent = recordBatches(context);
    const [a, b] = await Promise.all([playground(context, { flushIntervalMs: 50 }), playground(context, { flushIntervalMs: 50 })]);
    const ids: string[] = [];
    for (let round = 0; round < 5; round++) {
      ids.push(...(await track(a, [`Tab A ${round}`])), ...(await track(b, [`Tab B ${round}`])));
    }
    await Promise.all([a.evaluate(() => sluice.flush()), b.evaluate(() => sluice.flush())]);
    await expect.poll(() => ids.filter((id) => forwarded().includes(id)).length, { timeout: 20_000 }).toBe(10);
    await settle(1000);
    for (const id of ids) {
      expect(sent.filter((s) => s === id), `sent ${id}`).toHaveLength(1);
      expect(forwarded().filter((f) => f === id), `forwarded ${id}`).toHaveLength(1);
    }
    await context.close();
  });

  it('snippet calls made before the SDK loaded are replayed in order', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const names: string[] = [];
    page.on('request', (request) => {
      if (!request.url().includes('/v1/batch')) return;
      const body = JSON.parse(request.postData() ?? '{}') as { events?: { event?: string }[] };
      names.push(...(body.events ?? []).map((e) => e.event ?? '').filter(Boolean));
    });
    await page.goto(`${stack.gateway.url}/demo/snippet.html`);
    await expect.poll(() => names, { timeout: 10_000 }).toEqual(['Snippet A', 'Snippet B', 'Snippet C']);
    await context.close();
  });

  it('an exception inside the SDK never reaches window.onerror; it goes to onError', async () => {
    const context = await browser.newContext();
    await context.addInitScript(() => {
      const w = window as unknown as { pageErrors: string[]; sdkErrors: string[] };
      w.pageErrors = [];
      w.sdkErrors = [];
      addEventListener('error', (e) => w.pageErrors.push(String(e.message)));
      addEventListener('unhandledrejection', (e) => w.pageErrors.push(String(e.reason)));
      // Storage that throws on every access, as in some privacy modes.
      Object.defineProperty(window, 'localStorage', { get: () => { throw new DOMException('denied', 'SecurityError'); } });
    });
    const page = await context.newPage();
    await page.goto(`${stack.gateway.url}/demo/playground.html`);
    const result = await page.evaluate((key) => {
      const w = window as unknown as { pageErrors: string[]; sdkErrors: string[] };
      sluice.init({ endpoint: location.origin, writeKey: key, flushIntervalMs: 50, onError: (e) => w.sdkErrors.push(String(e)) });
      const circular: Record<string, unknown> = {};
      circular.self = circular;
      const dropped = sluice.track('Circular', circular);
      const kept = sluice.track('Fine');
      sluice.identify(undefined, { email: 'x@example.com', phone: 42 as unknown as string });
      sluice.page(undefined, undefined, undefined);
      return { dropped, kept };
    }, DEMO_WRITE_KEY);
    expect(result.dropped).toBeUndefined();
    expect(result.kept).toMatch(/^[0-9a-f-]{36}$/);
    await expect.poll(() => forwarded().includes(result.kept!), { timeout: 20_000 }).toBe(true);
    const errors = await page.evaluate(() => {
      const { pageErrors, sdkErrors } = window as unknown as { pageErrors: string[]; sdkErrors: string[] };
      return { pageErrors, sdkErrors };
    });
    expect(errors.pageErrors).toEqual([]);
    expect(errors.sdkErrors.length).toBeGreaterThan(0);
    await context.close();
  });

  it('the server-set cookie survives lost script storage and identifies the returning visitor', async () => {
    const context = await browser.newContext();
    const page = await playground(context);
    const firstId = await page.evaluate(() => {
      sluice.track('First visit');
      return JSON.parse(localStorage.getItem('sl_aid')!) as string;
    });
    await page.evaluate(() => sluice.flush());
    const cookie = (await context.cookies()).find((c) => c.name === 'sl_aid');
    expect(cookie).toMatchObject({ value: firstId, httpOnly: true, sameSite: 'Lax' });
    expect(cookie!.expires * 1000 - Date.now()).toBeGreaterThan(300 * 86_400_000);

    // ITP-style loss of everything script-written; the HttpOnly cookie stays.
    await page.evaluate(() => localStorage.clear());
    await page.reload();
    const sent = recordBatches(page);
    await init(page);
    const secondId = await page.evaluate(() => JSON.parse(localStorage.getItem('sl_aid')!) as string);
    expect(secondId).not.toBe(firstId);
    await page.evaluate(() => {
      sluice.track('Return visit');
      return sluice.flush();
    });
    await expect.poll(() => page.evaluate(() => JSON.parse(localStorage.getItem('sl_aid')!) as string)).toBe(firstId);
    expect(sent.length).toBeGreaterThan(0);
    await context.close();
  });

  it('autotrack: page views on load and on SPA navigations, each with the previous URL as referrer', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const views: { url: string; referrer: string }[] = [];
    page.on('request', (request) => {
      if (!request.url().includes('/v1/batch')) return;
      const body = JSON.parse(request.postData() ?? '{}') as { context?: { page?: { url: string; referrer: string } }; events?: { type: string; context?: { page?: { url: string; referrer: string } } }[] };
      for (const event of body.events ?? []) {
        const where = event.context?.page ?? body.context?.page;
        if (event.type === 'page' && where) views.push({ url: new URL(where.url).pathname, referrer: where.referrer && new URL(where.referrer).pathname });
      }
    });
    await page.goto(`${stack.gateway.url}/demo/playground.html`);
    const landing = new URL(page.url()).pathname; // the assets binding may drop the .html
    await init(page, { autotrack: true, flushIntervalMs: 50 });
    await page.evaluate(() => history.pushState({}, '', '/demo/a'));
    await page.evaluate(() => history.pushState({}, '', '/demo/b'));
    await page.evaluate(() => history.replaceState({}, '', '/demo/b')); // same URL: not a new page
    await page.evaluate(() => history.back());
    await expect.poll(() => views.length, { timeout: 10_000 }).toBe(4);
    expect(views).toEqual([
      { url: landing, referrer: '' },
      { url: '/demo/a', referrer: landing },
      { url: '/demo/b', referrer: '/demo/a' },
      { url: '/demo/a', referrer: '/demo/b' },
    ]);
    await context.close();
  });
});
