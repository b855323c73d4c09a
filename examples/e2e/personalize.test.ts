// On-device ranking in real Chromium against a real gateway (wrangler dev) serving the committed models.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium, startDemoStack, E2E_ADMIN_TOKEN, DEMO_WRITE_KEY, DEMO_SITE_ID, type DemoStack } from './harness/index.ts';
import { publishModels } from '../local-stack/index.ts';
import { readOnnx } from '../../edge-models/src/runtime/read-onnx.ts';
import { committedModels } from '../../edge-models/src/models/committed-models.ts';
import { repoRoot } from '../local-stack/repo-root.ts';

type Sluice = typeof import('../../sdk/src/index.ts');
declare const sluice: Sluice;

const LR = 'obd-click-lr';
const FM = 'obd-click-fm';
const MLP = 'obd-click-mlp';
const CANDIDATES = Array.from({ length: 20 }, (_, i) => ({ id: `sku-${i}`, category: ['shoes', 'hats', 'bags', 'coats'][i % 4]! }));
/** The visitor's own history: what the feature store must count (and never send). */
const HISTORY: [string, string][] = [['sku-7', 'coats'], ['sku-7', 'coats'], ['sku-7', 'coats'], ['sku-2', 'bags'], ['sku-13', 'hats'], ['sku-13', 'hats'], ['sku-19', 'coats']];

let stack: DemoStack;
let browser: Browser;
/** Every request any page of this file made: URL and body. */
const requests: { url: string; body: string }[] = [];
/** Every feature value and score the pages computed (to look for in the requests). */
const secrets = new Set<string>();

beforeAll(async () => {
  [stack, browser] = await Promise.all([startDemoStack(), launchChromium()]);
  await publishModels(stack.gateway.url, E2E_ADMIN_TOKEN);
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const admin = (name: string, change: object) =>
  fetch(`${stack.gateway.url}/v1/admin/sites/${DEMO_SITE_ID}/models/${name}/rollout`, {
    method: 'POST', headers: { authorization: `Bearer ${E2E_ADMIN_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(change),
  }).then((r) => expect(r.status).toBe(200));

interface ShopOptions { model?: string; runtime?: 'tiny' | 'onnxruntime' | 'auto'; ttlDays?: number; visitor?: string; history?: boolean; timeoutMs?: number; recheckSeconds?: number; context?: BrowserContext }

/** A fresh browser context (own IndexedDB) on a page of the gateway's origin with the SDK, personalization allowed. */
async function shop(o: ShopOptions = {}): Promise<Page> {
  const context = o.context ?? await browser.newContext();
  const page = await context.newPage();
  page.on('request', (r) => requests.push({ url: r.url(), body: r.postData() ?? '' }));
  if (o.context) {
    // Playwright turns the HTTP cache off for a page with routes: a page of the gateway's own, unrouted
    await page.goto(`${stack.gateway.url}/demo/playground.html`);
  } else {
    await page.route(`${stack.gateway.url}/rank-shop/`, (route) => route.fulfill({ contentType: 'text/html', body: '<!doctype html><html><head><script src="/sdk.js"></script></head><body>shop</body></html>' }));
    await page.goto(`${stack.gateway.url}/rank-shop/`);
  }
  if (o.visitor) await page.evaluate((id) => localStorage.setItem('sl_aid', JSON.stringify(id)), o.visitor);
  await page.evaluate(({ key, o }) => {
    (window as any).sluiceErrors = [];
    sluice.init({ endpoint: location.origin, writeKey: key, flushIntervalMs: 50, onError: (e) => (window as any).sluiceErrors.push(String((e as Error)?.stack ?? e)), personalize: { model: o.model ?? 'obd-click-lr', runtime: o.runtime ?? 'auto', timeoutMs: o.timeoutMs ?? 15_000, ...(o.ttlDays ? { ttlDays: o.ttlDays } : {}), ...(o.recheckSeconds ? { recheckSeconds: o.recheckSeconds } : {}) } });
    sluice.setConsent({ storage: true, personalization: true });
  }, { key: DEMO_WRITE_KEY, o: { ...o, context: undefined } });
  if (o.history !== false) await page.evaluate((h) => h.forEach(([item_id, category]) => sluice.track('Product Viewed', { item_id, category })), HISTORY);
  return page;
}

const rank = (page: Page, slot = 'home') => page.evaluate(({ slot, c }) => sluice.rank(slot, c)!.then((r) => ({ ...r, click: undefined })), { slot, c: CANDIDATES });

/** Waits for the IndexedDB feature record (written 250 ms after the last event). */
async function storedFeatures(page: Page): Promise<any> {
  return page.evaluate(async () => {
    if (!(await indexedDB.databases()).some((d) => d.name === 'sluice-features')) return null;
    return new Promise((resolve) => {
      const open = indexedDB.open('sluice-features');
      open.onsuccess = () => {
        const db = open.result;
        if (!db.objectStoreNames.contains('state')) { db.close(); return resolve(null); }
        const get = db.transaction('state').objectStore('state').get('v1');
        get.onsuccess = () => { db.close(); resolve(get.result ?? null); };
      };
    });
  });
}

/** The TypeScript reference in Node: the committed LR's weights from its file, on the same counts. */
function referenceLr(): (x: number[]) => number {
  const lr = committedModels(`${repoRoot()}/edge-models/models`).find((m) => m.manifest.name === LR)!;
  const g = readOnnx(lr.file);
  const w = g.initializers.get('W')!.data;
  const b = g.initializers.get('b')!.data[0]!;
  return (x) => 1 / (1 + Math.exp(-(b + x.reduce((s, v, i) => s + v * w[i]!, 0))));
}

function impressions(page: Page) {
  return page.evaluate(() => sluice.flush()).then(() => stack.metaSink.received);
}

describe('ranking on the device', () => {
  it('onnxruntime-web and the TypeScript runtime give the same ranking and scores, for every model, and match the Node reference', async () => {
    const ref = referenceLr();
    for (const model of [LR, FM, MLP]) {
      const tiny = await shop({ model, runtime: 'tiny' });
      const ort = await shop({ model, runtime: 'onnxruntime' });
      const [a, b] = [await rank(tiny), await rank(ort)];
      expect(await ort.evaluate(() => (window as any).sluiceErrors)).toEqual([]);
      // the tiny runtime really ran (auto would have fallen back to onnxruntime-web for a model it cannot run)
      expect(await tiny.evaluate(() => (window as any).sluiceErrors)).toEqual([]);
      expect([a.source, b.source]).toEqual(['model', 'model']);
      expect(a.items.map((c) => c.id)).toEqual(b.items.map((c) => c.id));
      a.scores!.forEach((s, i) => expect(Math.abs(s - b.scores![i]!)).toBeLessThanOrEqual(1e-5));
      // the visitor's most-viewed item (3 views, most-viewed category) comes first; the order is not the page's
      expect(a.items[0]!.id).toBe('sku-7');
      expect(a.items.map((c) => c.id)).not.toEqual(CANDIDATES.map((c) => c.id));
      if (model === LR) {
        const counts = (id: string, cat: string) => ({ item: HISTORY.filter(([i]) => i === id).length, cat: HISTORY.filter(([, c]) => c === cat).length });
        a.items.forEach((c, i) => {
          const { item, cat } = counts(c.id, c.category!);
          const x = [Math.log1p(item), item > 0 ? 1 : 0, Math.log1p(cat), Math.log1p(HISTORY.length), 0, 0];
          x.forEach((v) => v !== 0 && v !== 1 && secrets.add(String(v)));
          expect(Math.abs(a.scores![i]! - ref(x))).toBeLessThanOrEqual(1e-6);
        });
      }
      for (const s of [...a.scores!, ...b.scores!]) secrets.add(String(s));
      const explained = await tiny.evaluate(() => sluice.explain('home'));
      expect(explained).toMatchObject({ item: 'sku-7', model, method: model === LR ? 'exact' : 'approximation' });
      for (const c of explained!.contributions) { if (c.value !== 0 && c.value !== 1) secrets.add(String(c.value)); if (c.contribution !== 0) secrets.add(String(c.contribution)); }
      if (model === LR) {
        // exact: weight × value, and the contributions add up to the logit minus the bias
        const w = readOnnx(committedModels(`${repoRoot()}/edge-models/models`).find((m) => m.manifest.name === LR)!.file).initializers.get('W')!.data;
        explained!.contributions.forEach((c, i) => expect(c.contribution).toBeCloseTo(w[i]! * c.value, 4));
      }
      await tiny.context().close();
      await ort.context().close();
    }
  });

  it('by default (runtime auto) the MLP and the FM run on the tiny runtime: onnxruntime-web is never downloaded', async () => {
    for (const model of [MLP, FM]) {
      const page = await shop({ model });
      const fetched: string[] = [];
      page.on('request', (q) => fetched.push(q.url()));
      const r = await rank(page);
      expect([r.source, r.model, r.version, r.items[0]!.id]).toEqual(['model', model, '1.0.0', 'sku-7']);
      const explained = await page.evaluate(() => sluice.explain('home'));
      expect(explained).toMatchObject({ model, method: 'approximation', item: 'sku-7' });
      expect(fetched.some((u) => u.includes(`/v1/models/${model}/1.0.0`))).toBe(true);
      expect(fetched.filter((u) => u.includes('sluice-ort') || u.endsWith('.wasm'))).toEqual([]);
      await page.context().close();
    }
  });

  it('impressions and clicks are ordinary events with the model name and version', async () => {
    const page = await shop();
    const r = await page.evaluate((c) => sluice.rank('home', c)!.then((r) => (r.click('sku-2'), r.version)), CANDIDATES);
    expect(r).toBe('1.0.0');
    await page.evaluate(() => sluice.flush());
    const received = await page.evaluate(() => sluice.stats());
    expect(received!.sent).toBeGreaterThanOrEqual(HISTORY.length + 2);
    const batches = requests.filter((q) => q.url.includes('/v1/batch')).map((q) => JSON.parse(q.body) as { events: { event?: string; properties?: Record<string, unknown> }[] });
    const events = batches.flatMap((b) => b.events);
    expect(events.find((e) => e.event === 'Slot Impression')?.properties).toMatchObject({ slot: 'home', model: LR, model_version: '1.0.0', rank_source: 'model', cohort: 'live' });
    expect(events.find((e) => e.event === 'Slot Click')?.properties).toMatchObject({ slot: 'home', model: LR, model_version: '1.0.0', item_id: 'sku-2' });
    await page.context().close();
  });

  it('keeps the page order for a tampered model file, and when personalization consent is absent', async () => {
    const page = await shop({ runtime: 'tiny' });
    await page.route(/\/v1\/models\/obd-click-lr\/1\.0\.0/, async (route) => {
      const response = await route.fetch();
      const body = Buffer.from(await response.body());
      body.writeUInt8(body.readUInt8(body.length - 3) ^ 0x01, body.length - 3); // one bit of one weight
      await route.fulfill({ response, body });
    });
    const r = await rank(page);
    expect(r.source).toBe('tampered');
    expect(r.items.map((c) => c.id)).toEqual(CANDIDATES.map((c) => c.id));
    expect(r.scores).toBeNull();
    await page.context().close();

    // the rank chunk itself cannot load (blocked, offline): the page's order, no error thrown into the page
    const blocked = await browser.newContext();
    await blocked.route('**/sluice-rank.js', (route) => route.abort());
    const bp = await blocked.newPage();
    await bp.goto(`${stack.gateway.url}/demo/playground.html`);
    const b = await bp.evaluate((c) => {
      sluice.init({ endpoint: location.origin, writeKey: 'demo_write_key_0001', personalize: { model: 'obd-click-lr' } });
      sluice.setConsent({ personalization: true });
      return sluice.rank('home', c)!.then((r) => ({ source: r.source, ids: r.items.map((x) => x.id) }));
    }, CANDIDATES);
    expect(b).toEqual({ source: 'unavailable', ids: CANDIDATES.map((c) => c.id) });
    await blocked.close();

    // slow: over the time budget the page's order comes back at once, and the model serves the next call
    const slow = await shop({ runtime: 'tiny', timeoutMs: 300 });
    await slow.route(/\/v1\/models\/obd-click-lr\/1\.0\.0/, async (route) => {
      await new Promise((r) => setTimeout(r, 1500));
      await route.continue();
    });
    const started = Date.now();
    const late = await rank(slow);
    expect([late.source, Date.now() - started < 1200]).toEqual(['timeout', true]);
    expect(late.items.map((c) => c.id)).toEqual(CANDIDATES.map((c) => c.id));
    await expect.poll(async () => (await rank(slow)).source, { timeout: 10_000 }).toBe('model');
    await slow.context().close();

    const denied = await (await browser.newContext()).newPage();
    await denied.route(`${stack.gateway.url}/rank-shop/`, (route) => route.fulfill({ contentType: 'text/html', body: '<script src="/sdk.js"></script>' }));
    await denied.goto(`${stack.gateway.url}/rank-shop/`);
    const loaded: string[] = [];
    denied.on('request', (q) => loaded.push(q.url()));
    const d = await denied.evaluate((c) => {
      sluice.init({ endpoint: location.origin, writeKey: 'demo_write_key_0001', personalize: { model: 'obd-click-lr' } });
      return sluice.rank('home', c)!.then((r) => ({ source: r.source, ids: r.items.map((x) => x.id) }));
    }, CANDIDATES);
    expect(d).toEqual({ source: 'consent', ids: CANDIDATES.map((c) => c.id) });
    expect(loaded.filter((u) => u.includes('sluice-rank') || u.includes('/v1/models'))).toEqual([]);
    await denied.context().close();
  });

  it('feature store: forgets interactions older than the TTL; withdrawal and reset() delete it', async () => {
    const page = await shop();
    await expect.poll(() => storedFeatures(page), { timeout: 5000 }).toMatchObject({ items: { 'sku-7': { n: 3 } }, categories: { coats: { n: 4 } } });
    // withdrawal: the database is gone and ranking falls back to the page's order
    await page.evaluate(() => sluice.setConsent({ personalization: false }));
    await expect.poll(() => page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name))).not.toContain('sluice-features');
    expect((await rank(page)).source).toBe('consent');
    // re-granted: starts from nothing; reset() deletes it again
    await page.evaluate(() => { sluice.setConsent({ personalization: true }); sluice.track('Product Viewed', { item_id: 'sku-1', category: 'hats' }); });
    await expect.poll(() => storedFeatures(page), { timeout: 5000 }).toMatchObject({ items: { 'sku-1': { n: 1 } } });
    expect((await storedFeatures(page)).items['sku-7']).toBeUndefined();
    await page.evaluate(() => sluice.reset());
    await expect.poll(() => page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name))).not.toContain('sluice-features');
    await page.context().close();

    // TTL: a visitor whose interactions are 40 days old ranks like a new visitor, and the old counts are dropped
    const old = await browser.newContext();
    const p = await old.newPage();
    await p.route(`${stack.gateway.url}/rank-shop/`, (route) => route.fulfill({ contentType: 'text/html', body: '<script src="/sdk.js"></script>' }));
    await p.goto(`${stack.gateway.url}/rank-shop/`);
    await p.evaluate(() => new Promise<void>((resolve) => {
      const t = Date.now() - 40 * 86_400_000;
      const open = indexedDB.open('sluice-features', 1);
      open.onupgradeneeded = () => open.result.createObjectStore('state');
      open.onsuccess = () => {
        const tx = open.result.transaction('state', 'readwrite');
        tx.objectStore('state').put({ items: { 'sku-5': { n: 9, t } }, categories: { hats: { n: 9, t } }, session: { start: t, last: t, depth: 3 } }, 'v1');
        tx.oncomplete = () => { open.result.close(); resolve(); };
      };
    }));
    await p.evaluate((key) => {
      sluice.init({ endpoint: location.origin, writeKey: key, personalize: { model: 'obd-click-lr', ttlDays: 30, timeoutMs: 15_000 } });
      sluice.setConsent({ storage: true, personalization: true });
    }, DEMO_WRITE_KEY);
    const r = await rank(p);
    expect(r.source).toBe('model');
    expect(new Set(r.scores!).size).toBe(1); // nobody has history any more: every candidate scores the same
    expect(r.items.map((c) => c.id)).toEqual(CANDIDATES.map((c) => c.id));
    await p.evaluate(() => sluice.track('Product Viewed', { item_id: 'sku-9' }));
    await expect.poll(() => storedFeatures(p), { timeout: 5000 }).toMatchObject({ items: { 'sku-9': { n: 1 } } });
    expect((await storedFeatures(p)).items['sku-5']).toBeUndefined();
    await old.close();
  });

  it('honours the kill switch and the canary (stable per visitor)', async () => {
    const bucket = (id: string) => createHash('sha256').update(`${LR}:${id}`).digest().readUInt32BE(0) % 10_000;
    const ids = Array.from({ length: 50 }, (_, i) => `visitor-e2e-${String(i).padStart(4, '0')}`);
    const inCanary = ids.find((id) => bucket(id) < 5000)!;
    const notInCanary = ids.find((id) => bucket(id) >= 5000)!;
    // the FM's file published as a second version of the LR model name
    const fm = committedModels(`${repoRoot()}/edge-models/models`).find((m) => m.manifest.name === FM)!;
    const put = await fetch(`${stack.gateway.url}/v1/admin/sites/${DEMO_SITE_ID}/models/${LR}/versions/2.0.0`, {
      method: 'PUT', headers: { authorization: `Bearer ${E2E_ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ manifest: { ...fm.manifest, name: LR, version: '2.0.0' }, file: Buffer.from(fm.file).toString('base64') }),
    });
    expect(put.status).toBe(201);
    await admin(LR, { action: 'canary', version: '2.0.0', percent: 50 });
    for (const [visitor, expected] of [[inCanary, '2.0.0'], [notInCanary, '1.0.0'], [inCanary, '2.0.0']] as const) {
      const page = await shop({ visitor });
      const r = await rank(page);
      expect([r.source, r.version]).toEqual(['model', expected]);
      await page.context().close();
    }
    // the canary is chosen by a bucket the SDK hashed: the visitor id itself is in no model request
    expect(requests.filter((q) => q.url.includes('/v1/models/')).length).toBeGreaterThan(3);
    expect(requests.filter((q) => q.url.includes('/v1/models/') && q.url.includes('visitor-e2e-'))).toEqual([]);
    // shadow: the candidate scores beside the live model; only whether their top items agree is reported
    await admin(LR, { action: 'end-canary' });
    await admin(LR, { action: 'shadow', version: '2.0.0' });
    const shadowed = await shop({ visitor: inCanary });
    const s = await rank(shadowed);
    expect([s.source, s.version]).toEqual(['model', '1.0.0']);
    await shadowed.evaluate(() => sluice.flush());
    const impression = requests.filter((q) => q.url.includes('/v1/batch')).flatMap((q) => (JSON.parse(q.body) as { events: { event?: string; properties?: Record<string, unknown> }[] }).events)
      .filter((e) => e.event === 'Slot Impression' && e.properties?.shadow_version).at(-1);
    expect(impression?.properties).toMatchObject({ model_version: '1.0.0', shadow_version: '2.0.0', shadow_top_agrees: expect.any(Boolean) });
    await shadowed.context().close();
    await admin(LR, { action: 'end-shadow' });
    await admin(LR, { action: 'kill', killed: true });
    const killed = await shop({ visitor: inCanary });
    const k = await rank(killed);
    expect([k.source, k.version]).toEqual(['killed', null]);
    expect(k.items.map((c) => c.id)).toEqual(CANDIDATES.map((c) => c.id));
    await killed.context().close();
    await admin(LR, { action: 'kill', killed: false });
  });

  it('a rollout change reaches the very next page load, in a browser whose HTTP cache holds the previous assignment', async () => {
    // one browser context throughout: its HTTP cache keeps every assignment and file it was served
    const context = await browser.newContext();
    const assignments: Promise<string | undefined>[] = [];
    context.on('request', (r) => { if (/\/v1\/models\/obd-click-lr\?/.test(r.url())) assignments.push(r.allHeaders().then((h) => h['if-none-match'])); });
    const next = async () => {
      const page = await shop({ context, history: false });
      const r = await rank(page);
      await page.close();
      return [r.source, r.version, r.items.map((c) => c.id).join() === CANDIDATES.map((c) => c.id).join() ? 'page order' : 'ranked'];
    };
    expect(await next()).toEqual(['model', '1.0.0', 'page order']); // no history: every score ties, the page's order stays
    await admin(LR, { action: 'set-live', version: '2.0.0' });
    expect(await next()).toEqual(['model', '2.0.0', 'page order']);
    await admin(LR, { action: 'rollback' });
    expect(await next()).toEqual(['model', '1.0.0', 'page order']);
    expect(await next()).toEqual(['model', '1.0.0', 'page order']);
    await admin(LR, { action: 'kill', killed: true });
    expect(await next()).toEqual(['killed', null, 'page order']);
    await admin(LR, { action: 'kill', killed: false });
    expect(await next()).toEqual(['model', '1.0.0', 'page order']);
    // each page load asked the gateway, and the browser's cache was in use: it revalidated with the ETag it held
    expect(assignments.length).toBe(6);
    expect((await Promise.all(assignments)).filter((tag) => tag && /^"[0-9a-f]{32}"$/.test(tag)).length).toBeGreaterThanOrEqual(4);
    await context.close();
  });

  it('a long-lived page re-checks its assignment in the background and picks up a rollout, a rollback and the kill switch', async () => {
    const page = await shop({ recheckSeconds: 1 });
    expect([(await rank(page)).version]).toEqual(['1.0.0']);
    await admin(LR, { action: 'set-live', version: '2.0.0' });
    // the gateway is slow to answer the re-check: the rank that starts it does not wait for it
    await page.route(/\/v1\/models\/obd-click-lr\?/, async (route) => { await new Promise((r) => setTimeout(r, 1500)); await route.continue(); });
    await page.waitForTimeout(1100);
    const started = Date.now();
    const during = await rank(page);
    expect([during.source, during.version, Date.now() - started < 700]).toEqual(['model', '1.0.0', true]);
    await expect.poll(async () => (await rank(page)).version, { timeout: 8000 }).toBe('2.0.0');
    await page.unroute(/\/v1\/models\/obd-click-lr\?/);
    await admin(LR, { action: 'rollback' });
    await expect.poll(async () => (await rank(page)).version, { timeout: 8000 }).toBe('1.0.0');
    await admin(LR, { action: 'kill', killed: true });
    await expect.poll(async () => (await rank(page)).source, { timeout: 8000 }).toBe('killed');
    const k = await rank(page);
    expect([k.version, k.scores, k.items.map((c) => c.id)]).toEqual([null, null, CANDIDATES.map((c) => c.id)]);
    await admin(LR, { action: 'kill', killed: false });
    await expect.poll(async () => { const r = await rank(page); return [r.source, r.version]; }, { timeout: 8000 }).toEqual(['model', '1.0.0']);
    // the gateway unreachable at a re-check: the page keeps the model it has (a kill needs an answer)
    let refused = 0;
    await page.route(/\/v1\/models\/obd-click-lr\?/, (route) => (refused++, route.abort()));
    await page.waitForTimeout(1100);
    for (let i = 0; i < 5; i++) expect((await rank(page)).source).toBe('model');
    await expect.poll(() => refused, { timeout: 5000 }).toBeGreaterThan(0);
    expect([(await rank(page)).source, (await rank(page)).version]).toEqual(['model', '1.0.0']);
    // the failed re-check went to onError, as the page's own network failure, and nothing else did
    expect((await page.evaluate(() => (window as any).sluiceErrors as string[])).map((e) => e.split('\n')[0])).toEqual(['TypeError: Failed to fetch']);
    await page.context().close();
  });

  it('the demo shop ranks its "For you" list on the device once the visitor opts in, says so, and explains it', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    page.on('request', (r) => requests.push({ url: r.url(), body: r.postData() ?? '' }));
    await page.goto(stack.shopUrl);
    await expect.poll(() => page.textContent('#for-you-note')).toContain("shop's own order");
    await page.check('#for-you-consent');
    await expect.poll(() => page.textContent('#for-you-note'), { timeout: 10_000 }).toContain('Ranked on your device by obd-click-lr 1.0.0');
    for (let i = 0; i < 3; i++) await page.click('#for-you-list li:last-child button');
    await page.click('#for-you-why');
    await expect.poll(() => page.textContent('#for-you-explanation')).toMatch(/Why ".+" is first \(exact, computed on this device\)/);
    const text = (await page.textContent('#for-you-explanation'))!;
    for (const m of text.matchAll(/(?:value|contribution) ([+-]?\d+\.\d+)/g)) if (Number(m[1]) !== 0 && Number(m[1]) !== 1) secrets.add(m[1]!.replace(/^\+/, ''));
    await context.close();
  });

  it('no feature value, score or feature name appears in any request the pages made', () => {
    expect(requests.length).toBeGreaterThan(50);
    expect(secrets.size).toBeGreaterThan(20);
    const names = ['item_affinity', 'item_seen', 'category_affinity', 'total_activity', 'session_depth', 'contribution'];
    // A secret is a number of its own (any further digits included: a full-precision leak starts with
    // it), not the tail of a longer one: "0.183" is no leak in a timestamp's "…:10.183Z".
    const leaks = [...secrets].map((v) => [v, new RegExp(`(?<![\\d.])${v.replace('.', '\\.')}`)] as const);
    for (const { url, body } of requests) {
      const text = `${decodeURIComponent(url)}\n${body}`;
      for (const [v, leak] of leaks) expect(leak.test(text), `${v} in ${url}: ${text.slice(Math.max(0, text.search(leak) - 80), text.search(leak) + 20)}`).toBe(false);
      for (const n of names) expect(text.includes(n), `${n} in ${url}`).toBe(false);
    }
  });
});
