// SDK runtime, all libraries in one headless Chromium run against one local collector:
// main-thread time for init and for 1,000 track calls, and how many of the 1,000 events reached the
// collector when the page navigates away right after tracking (so the tail must leave during pagehide).
// analytics-next and the RudderStack SDK deliver to Sluice itself: the collector forwards their
// `/segment/*` requests to a local Sluice gateway and counts only what the gateway accepted.
import { build } from 'esbuild';
import { execFileSync, execSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { libraries, SLUICE_VERSION } from './peers/entries.mjs';

const EVENTS = 1000;
const RUNS = 3;
/** How long the page stays open in the extra run before it leaves. */
const STAY_MS = 3000;
/** After navigating away, how long late deliveries may still arrive. */
const DRAIN_MS = 3000;
const root = new URL('..', import.meta.url).pathname;
const dist = join(root, 'sdk/dist');
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** A lower bound: push to an array, one sendBeacon on pagehide. */
const BARE = `window.benchLib = { q: [], init() { addEventListener('pagehide', () => navigator.sendBeacon('/bare', JSON.stringify(this.q))); }, track(marker) { this.q.push({ event: 'Signed Up', marker, t: Date.now() }); } };`;
/** The naive approach: one sendBeacon per track call (the browser caps queued beacon bytes, so some may be refused). */
const BEACONS = `window.benchLib = { init() {}, track(marker) { navigator.sendBeacon('/bare', JSON.stringify({ event: 'Signed Up', marker, t: Date.now() })); } };`;
const SLUICE = `window.benchLib = { init: (url) => sluice.init({ endpoint: url, writeKey: 'wk_bench_0001' }), track: (marker) => sluice.track('Signed Up', { marker }) };`;

async function iife(source) {
  const result = await build({
    stdin: { contents: source, resolveDir: join(root, 'bench/peers'), loader: 'js' },
    bundle: true, minify: true, format: 'iife', platform: 'browser', write: false, logLevel: 'silent',
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  return result.outputFiles[0].text;
}

/** Pages to test: name → the <script> tags of its page. */
async function pages() {
  execSync('npm run -s build -w sdk', { cwd: root, stdio: 'ignore' });
  const out = { 'bare baseline (array + 1 beacon)': `<script>${BARE}</script>`, 'bare baseline (1000 × sendBeacon)': `<script>${BEACONS}</script>`, sluice: `<script src="/sdk.js"></script><script>${SLUICE}</script>` };
  for (const [name, { runtime }] of Object.entries(libraries)) {
    if (!runtime) continue;
    try {
      out[name] = `<script>${(await iife(runtime)).replace(/<\/script/g, '<\\/script')}</script>`;
    } catch (error) {
      out[name] = { skipped: String(error.message).split('\n')[0] };
    }
  }
  return out;
}

/**
 * A local Sluice gateway for the Segment-compatible libraries: `wrangler dev` through the e2e
 * harness (it seeds KV and D1). The figure here is the libraries' delivery count, not gateway speed,
 * so wrangler dev instead of miniflare changes nothing that is measured.
 */
async function sluiceGateway(pageOrigin) {
  // Bundled next to this file (under dist/, ignored by git) so its packages resolve from the repo.
  const outfile = join(root, 'dist', `bench-stack-${process.pid}.mjs`);
  await build({
    stdin: { contents: "export { startGateway } from './wrangler-dev.ts'; export { freePort } from './free-port.ts';", resolveDir: join(root, 'examples/local-stack'), loader: 'ts' },
    bundle: true, platform: 'node', format: 'esm', packages: 'external', outfile, logLevel: 'silent',
  });
  const { startGateway, freePort } = await import(outfile);
  rmSync(outfile);
  const port = await freePort();
  const site = { id: 'bench', allowedOrigins: [pageOrigin], destinations: {} };
  return startGateway({ port, kv: [{ key: 'writekey:wk_bench_0001', value: site.id }, { key: `site:${site.id}`, value: JSON.stringify(site) }] });
}

/** What the RudderStack SDK needs from its config service to start (a source with no device-mode destinations). */
const RUDDER_SOURCE_CONFIG = JSON.stringify({ source: { id: 'bench-source', name: 'bench', writeKey: 'wk_bench_0001', workspaceId: 'bench', enabled: true, config: {}, destinations: [] } });

/** Forwards a request to the gateway; its markers count only when the gateway accepted the request. */
async function forward(gatewayUrl, req, body, res, state) {
  const headers = Object.fromEntries(Object.entries(req.headers).filter(([name]) => !['host', 'connection', 'content-length'].includes(name)));
  const answer = await fetch(`${gatewayUrl}${req.url}`, { method: req.method, headers, body: req.method === 'POST' ? body : undefined }).catch(() => null);
  if (!answer) {
    res.writeHead(502);
    return res.end();
  }
  const text = await answer.text();
  if (req.method === 'POST' && answer.status === 200) for (const m of body.toString('utf8').match(/bm-\d+/g) ?? []) state.markers.add(m);
  res.writeHead(answer.status, Object.fromEntries([...answer.headers].filter(([name]) => name.startsWith('access-control-') || name === 'content-type')));
  res.end(text);
}

/** The collector: serves the page and Sluice's files, counts distinct event markers in every POST body. */
function collector() {
  const state = { page: '', markers: new Set(), posts: 0, gatewayUrl: '' };
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      let body = Buffer.concat(chunks);
      try {
        if (req.headers['content-encoding'] === 'gzip' || (body[0] === 0x1f && body[1] === 0x8b)) body = gunzipSync(body);
      } catch {
        // not gzip after all
      }
      if (req.method === 'POST') state.posts++;
      const url = new URL(req.url, 'http://x');
      if (url.pathname.startsWith('/segment/') && state.gatewayUrl) return forward(state.gatewayUrl, req, body, res, state);
      for (const m of body.toString('utf8').match(/bm-\d+/g) ?? []) state.markers.add(m);
      const send = (type, data) => {
        res.writeHead(200, { 'content-type': type });
        res.end(data);
      };
      if (url.pathname === '/page.html') return send('text/html', `<!doctype html><html><head>${state.page}</head><body>bench</body></html>`);
      if (url.pathname === '/sdk.js') return send('text/javascript', readFileSync(join(dist, 'sluice.js')));
      if (url.pathname.startsWith(`/sdk/${SLUICE_VERSION}/`)) {
        try {
          return send('text/javascript', readFileSync(join(dist, 'chunks', url.pathname.split('/').pop())));
        } catch {
          res.writeHead(404);
          return res.end();
        }
      }
      if (url.pathname === '/v1/config') return send('application/json', '{"consent":null}');
      if (url.pathname === '/v1/batch') return send('application/json', JSON.stringify({ accepted: 1, duplicates: 0, rejected: [] }));
      if (url.pathname.startsWith('/sourceConfig')) return send('application/json', RUDDER_SOURCE_CONFIG);
      if (url.pathname.endsWith('/settings')) return send('application/json', JSON.stringify({ integrations: { 'Segment.io': { apiKey: 'wk' } } }));
      send('application/json', '{}');
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ state, server, url: `http://127.0.0.1:${server.address().port}` })));
}

async function runOnce(browser, target, name, html, stayMs = 0) {
  target.state.page = html;
  target.state.markers.clear();
  target.state.posts = 0;
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(`${target.url}/page.html`);
    await page.waitForFunction(() => window.benchLib, undefined, { timeout: 5000 });
    const [init, track] = await page.evaluate(
      ([url, n]) => {
        const t0 = performance.now();
        window.benchLib.init(url);
        const t1 = performance.now();
        for (let i = 0; i < n; i++) window.benchLib.track(`bm-${i}`);
        return [t1 - t0, performance.now() - t1];
      },
      [target.url, EVENTS],
    );
    if (stayMs) await page.waitForTimeout(stayMs);
    await page.goto('about:blank');
    await new Promise((r) => setTimeout(r, DRAIN_MS));
    return { init, track, received: target.state.markers.size, posts: target.state.posts };
  } finally {
    await context.close();
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const chromiumPath = execFileSync('sh', ['-c', 'command -v chromium || command -v chromium-browser'], { encoding: 'utf8' }).trim();
const target = await collector();
const gateway = await sluiceGateway(target.url);
target.state.gatewayUrl = gateway.url;
// bench/run.mjs SIGKILLs a bench after 5 minutes, which would orphan wrangler dev: stop it first.
setTimeout(() => {
  console.log('(out of time: stopping the local gateway)');
  gateway.stop().finally(() => process.exit(1));
}, 270_000).unref();
const browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: ARGS });
const rows = [];
try {
  // BENCH_ONLY=segment,rudder runs only libraries whose name contains one of the words.
  const only = process.env.BENCH_ONLY?.split(',');
  for (const [name, html] of Object.entries(await pages())) {
    if (only && !only.some((word) => name.includes(word))) continue;
    if (typeof html !== 'string') {
      rows.push({ name, note: `skipped: ${html.skipped}` });
      continue;
    }
    const runs = [];
    for (let i = 0; i < RUNS; i++) {
      try {
        runs.push(await runOnce(browser, target, name, html));
      } catch (error) {
        rows.push({ name, note: `failed: ${String(error.message).split('\n')[0]}` });
        break;
      }
    }
    if (runs.length === RUNS) {
      // One more run where the page stays open a while before leaving: what a library delivers when
      // its own asynchronous queue gets time (analytics-next sends nothing during pagehide).
      const stayed = (await runOnce(browser, target, name, html, STAY_MS).catch(() => null))?.received;
      const posts = Math.max(...runs.map((r) => r.posts));
      const received = Math.min(...runs.map((r) => r.received));
      // 0 delivered says nothing about a library that never talked to this collector.
      const why = received > 0 ? '' : stayed > 0 ? '  (delivers while the page stays open; nothing reached the collector from pagehide)' : posts === 0 ? '  (sent nothing before the page left: still loading, or waits for a vendor CDN/config service)' : '  (sent, but bodies not readable here (compressed) or not accepted by Sluice)';
      rows.push({ name, init: median(runs.map((r) => r.init)), track: median(runs.map((r) => r.track)), received, stayed, why });
    }
  }
} finally {
  await browser.close();
  target.server.close();
  await gateway.stop();
}

console.log(`Chromium headless, ${RUNS} runs (median time; worst delivery), ${EVENTS} track calls, then navigate away.`);
console.log('Delivery counts events that reached the local collector within 3 s after leaving the page');
console.log('(analytics-next and RudderStack: events the local Sluice gateway accepted on /segment/v1).\n');
console.log(`"after ${STAY_MS / 1000} s": one more run where the page stays open ${STAY_MS / 1000} s before leaving.\n`);
console.log(`${'library'.padEnd(36)}${'init ms'.padStart(10)}${'1000×track ms'.padStart(16)}${'delivered'.padStart(12)}${`after ${STAY_MS / 1000} s`.padStart(12)}`);
for (const r of rows) {
  if (r.note) console.log(`${r.name.padEnd(36)}${r.note}`);
  else console.log(`${r.name.padEnd(36)}${r.init.toFixed(1).padStart(10)}${r.track.toFixed(1).padStart(16)}${`${r.received}/${EVENTS}`.padStart(12)}${(r.stayed === undefined ? '—' : `${r.stayed}/${EVENTS}`).padStart(12)}${r.why}`);
}
