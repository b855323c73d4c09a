// Gateway throughput on miniflare (workerd served directly, not wrangler dev), issue 14.
// In one workerd and one isolate: the real gateway worker, a bare Hono 204 route (the baseline), and
// stage probes. Figures, all beside the bare route measured in the same run:
//  - events per bare-request cost at 1/20/100-event batches, from the workerd process's CPU per
//    request (stable on a shared machine) and from requests/s at concurrency 8 (noisier), with p50/p99;
//  - the 20-event batch latency p50/p99 at concurrency 8;
//  - isolate CPU per event by stage (probes repeat one stage n times on a 20-event batch in the isolate).
// The request: four destinations, the example consent policy (+TikTok), an EEA visitor with a TC string.
// Budgets (issue 14): ≤ 50 µs isolate CPU per event at 20-event batches; ≥ 2 events per bare-request cost.
// Also: the storage floor (each prescribed binding call once, minimal payload) and the ceiling it puts on the
// ratio with zero isolate work; workerd memory with every binding a stand-in (what the isolate itself keeps).
// Env: GATEWAY_BENCH_SECONDS (per measured point, default 4); GATEWAY_BENCH_STAGES (comma-separated
// stage probes to run, default all; `none` skips them) for quicker looks while profiling;
// GATEWAY_BENCH_LOG_SAMPLE (the gateway's LOG_SUCCESS_SAMPLE, default 1: a log line per request, as deployed by default).
import { build } from 'esbuild';
import { Miniflare, Log, LogLevel } from 'miniflare';
import { applyMigrations } from './apply-migrations.mjs';
import { readFileSync, readdirSync, readFileSync as read } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const SECONDS = Number(process.env.GATEWAY_BENCH_SECONDS ?? 4);
const out = mkdtempSync(join(tmpdir(), 'sluice-gw-bench-'));
const ADMIN_TOKEN = 'bench-admin-token-0123456789';
const LOG_SAMPLE = process.env.GATEWAY_BENCH_LOG_SAMPLE ?? '1';

await build({
  entryPoints: [join(root, 'bench/gateway/bench-worker.ts')],
  bundle: true, format: 'esm', platform: 'neutral', mainFields: ['module', 'main'], conditions: ['workerd', 'worker', 'browser', 'import'],
  external: ['cloudflare:*', 'node:*'], outfile: join(out, 'worker.mjs'), logLevel: 'warning', minify: false,
});
await build({
  entryPoints: [join(root, 'bench/gateway/fixtures.ts')], bundle: true, format: 'esm', platform: 'node',
  outfile: join(out, 'fixtures.mjs'), logLevel: 'warning',
});
const fx = await import(join(out, 'fixtures.mjs'));

const queues = { DELIVERY: 'sluice-delivery', DELIVERY_META: 'sluice-delivery-meta', DELIVERY_GA4: 'sluice-delivery-ga4', DELIVERY_GOOGLE_ADS: 'sluice-delivery-google-ads', DELIVERY_TIKTOK: 'sluice-delivery-tiktok', DEAD_LETTERS: 'sluice-delivery-dlq' };
const mf = new Miniflare({
  modules: true, modulesRoot: out, scriptPath: join(out, 'worker.mjs'), compatibilityDate: '2026-04-01', cf: false,
  durableObjects: { EVENT_IDS: { className: 'EventIdLedger', useSQLite: true } },
  kvNamespaces: ['CONFIG'], d1Databases: ['DB'], queueProducers: queues,
  ratelimits: { RATE_LIMIT_IP: { simple: { limit: 200, period: 10 } }, RATE_LIMIT_WRITE_KEY: { simple: { limit: 20000, period: 10 } } },
  bindings: {
    ADMIN_TOKEN, GEO_OVERRIDE: 'DE', LOG_SUCCESS_SAMPLE: LOG_SAMPLE, META_API_BASE_URL: 'http://127.0.0.1:9', META_API_VERSION: 'v25.0', GA4_API_BASE_URL: 'http://127.0.0.1:9',
    GOOGLE_ADS_API_BASE_URL: 'http://127.0.0.1:9', GOOGLE_ADS_API_VERSION: 'v26', GOOGLE_OAUTH_BASE_URL: 'http://127.0.0.1:9', TIKTOK_API_BASE_URL: 'http://127.0.0.1:9',
  },
  host: '127.0.0.1', port: 0, log: new Log(LogLevel.WARN),
});
const base = (await mf.ready).toString().replace(/\/$/, '');

// Storage: D1 migrations, the site, the policy (through the admin API, as in production) and the GVL.
const db = await mf.getD1Database('DB');
await applyMigrations(db, root);
const kv = await mf.getKVNamespace('CONFIG');
await kv.put(`writekey:${fx.WRITE_KEY}`, fx.site.id);
await kv.put(`site:${fx.site.id}`, JSON.stringify(fx.site));
const admin = { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' };
for (const [path, body] of [['/v1/admin/gvl', fx.gvl], [`/v1/admin/sites/${fx.site.id}/policy`, fx.policy()]]) {
  const r = await fetch(`${base}${path}`, { method: 'PUT', headers: admin, body: JSON.stringify(body) });
  if (r.status !== 200) throw new Error(`seeding ${path}: ${r.status} ${await r.text()}`);
}

// CPU of the workerd processes miniflare started (utime + stime, clock ticks of 10 ms).
function workerdPids() {
  const all = execFileSync('ps', ['-eo', 'pid,ppid,comm'], { encoding: 'utf8' }).trim().split('\n').slice(1).map((l) => l.trim().split(/\s+/));
  const children = (pid) => all.filter(([, ppid]) => ppid === String(pid)).map(([p]) => p);
  const found = [];
  const walk = (pid) => { for (const c of children(pid)) { found.push(c); walk(c); } };
  walk(process.pid);
  return found;
}
const pids = workerdPids();
const TICK_US = 1e6 / 100;
function cpuUs() {
  let ticks = 0;
  for (const pid of pids) {
    try {
      const fields = read(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch { /* exited */ }
  }
  return ticks * TICK_US;
}

// Resident memory of the workerd processes (VmRSS, /proc/<pid>/status), before and after the load runs.
function rssMb() {
  let kb = 0;
  for (const pid of pids) {
    try {
      const line = read(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
      kb += Number(line?.split(/\s+/)[1] ?? 0);
    } catch { /* exited */ }
  }
  return kb / 1024;
}

const bodies = { 1: null, 20: null, 100: null };
const batchRequest = (size) => () => ({
  url: `${base}/v1/batch?key=${fx.WRITE_KEY}`,
  init: { method: 'POST', headers: { origin: fx.ORIGIN, 'content-type': 'text/plain', 'cf-connecting-ip': `198.51.100.${Math.floor(Math.random() * 250)}` }, body: JSON.stringify(fx.batch(size)) },
});
const bareRequest = () => ({ url: `${base}/__bare`, init: { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{}' } });

/** Runs `make` at `concurrency` for `seconds`; returns requests/s, CPU µs per request, latency percentiles, statuses. */
async function measure(make, { concurrency = 8, seconds = SECONDS, check = (s) => s === 200 } = {}) {
  const latencies = [];
  const statuses = {};
  // Warm-up.
  for (let i = 0; i < 20; i++) { const { url, init } = make(); await (await fetch(url, init)).arrayBuffer(); }
  // Request bodies are built before the clock starts, so client work does not count.
  const prepared = Array.from({ length: 4000 }, make);
  let next = 0;
  const cpu0 = cpuUs();
  const t0 = performance.now();
  const until = t0 + seconds * 1000;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (performance.now() < until) {
      const { url, init } = prepared[next++ % prepared.length];
      const started = performance.now();
      let response;
      try {
        response = await fetch(url, init);
        await response.arrayBuffer();
      } catch (error) {
        // A connection the runtime dropped is counted, not fatal: the figures say how many.
        statuses.dropped = (statuses.dropped ?? 0) + 1;
        if (statuses.dropped === 1) console.log(`  (a request failed: ${error.cause?.code ?? error.message})`);
        continue;
      }
      latencies.push(performance.now() - started);
      statuses[response.status] = (statuses[response.status] ?? 0) + 1;
      if (!check(response.status)) throw new Error(`unexpected ${response.status}`);
    }
  }));
  const elapsed = (performance.now() - t0) / 1000;
  const cpu = cpuUs() - cpu0;
  latencies.sort((a, b) => a - b);
  const pct = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
  return { rps: latencies.length / elapsed, cpuPerReq: cpu / latencies.length, p50: pct(0.5), p99: pct(0.99), n: latencies.length, statuses };
}

const fmt = (n, d = 1) => n.toFixed(d);
console.log(`gateway bench on miniflare (workerd), ${SECONDS} s per point, client concurrency 8, LOG_SUCCESS_SAMPLE ${LOG_SAMPLE}, this machine's load: ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`);

// Every binding call one 20-event request makes (its waitUntil hooks included), so the figures below can be read.
for (const when of ['cold', 'warm']) {
  const { url, init } = batchRequest(20)();
  const counted = await (await fetch(url.replace('/v1/batch', '/__count/v1/batch'), init)).json();
  console.log(`binding calls of one 20-event request, ${when} isolate caches (status ${counted.status}): ${Object.entries(counted.calls).map(([k, n]) => `${k} ×${n}`).join(', ')}`);
}

// The same 20-event body must not be answered as duplicates: fresh event ids per request (prepared above).
const rows = [];
const rss = [['start', rssMb()]];
const bare = await measure(bareRequest, { check: (s) => s === 204 });
rows.push(['bare Hono 204', 0, bare]);
for (const size of [1, 20, 100]) {
  rows.push([`batch of ${size}`, size, await measure(batchRequest(size))]);
  rss.push([`after ${size}-event batches`, rssMb()]);
}
const bare2 = await measure(bareRequest, { check: (s) => s === 204 });
const bareCpu = (bare.cpuPerReq + bare2.cpuPerReq) / 2;
const bareRps = (bare.rps + bare2.rps) / 2;
console.log('\nend to end (HTTP request → validated, consented, hashed, audited in D1, queued; the response):');
console.log('| request | req/s | CPU/req (workerd) | p50 ms | p99 ms | events per bare-request cost (CPU) | (req/s) |');
console.log('| --- | --- | --- | --- | --- | --- | --- |');
for (const [name, size, r] of rows) {
  const perCpu = size ? fmt((size * bareCpu) / r.cpuPerReq, 2) : '—';
  const perRps = size ? fmt((size * r.rps) / bareRps, 2) : '—';
  console.log(`| ${name} | ${fmt(r.rps, 0)} | ${fmt(r.cpuPerReq, 0)} µs | ${fmt(r.p50)} | ${fmt(r.p99)} | ${perCpu} | ${perRps} |${r.statuses.dropped ? ` (${r.statuses.dropped} dropped connections)` : ''}`);
}
console.log(`(bare measured before and after: ${fmt(bare.cpuPerReq, 0)} / ${fmt(bare2.cpuPerReq, 0)} µs CPU per request, ${fmt(bare.rps, 0)} / ${fmt(bare2.rps, 0)} req/s)`);
const twenty = rows.find(([, s]) => s === 20)[2];
const accepted = rows.reduce((n, [, size, r]) => n + size * r.n, 0);
console.log(`workerd resident memory (VmRSS): ${rss.map(([when, mb]) => `${when} ${fmt(mb)} MB`).join(', ')} — ${fmt(rss.at(-1)[1] - rss[0][1])} MB over ${accepted} events accepted`);
console.log(`20-event batch latency at concurrency 8: p50 ${fmt(twenty.p50)} ms, p99 ${fmt(twenty.p99)} ms`);

// Attribution: the same 20-event request with some bindings replaced by no-op stand-ins in the
// isolate, so the share of miniflare's local simulators (D1, queues, rate limiting) is visible.
console.log('\nwhere a 20-event request goes (bindings replaced by no-op stand-ins; CPU per request, workerd):');
console.log('| stand-ins | CPU/req | less than real | events per bare-request cost (CPU) |');
console.log('| --- | --- | --- | --- |');
const stubbed = (what) => () => { const r = batchRequest(20)(); return { url: r.url.replace('/v1/batch', `/__stub/${what}/v1/batch`), init: r.init }; };
const real = await measure(batchRequest(20));
let isolateMemory;
for (const what of ['none', 'ratelimit', 'ledger', 'queues', 'db', 'ratelimit,queues,db', 'ledger,ratelimit,queues,db']) {
  const before = rssMb();
  const r = what === 'none' ? real : await measure(stubbed(what));
  if (what === 'ledger,ratelimit,queues,db') isolateMemory = { before, after: rssMb(), events: 20 * r.n };
  console.log(`| ${what} | ${fmt(r.cpuPerReq, 0)} µs | ${what === 'none' ? '—' : `${fmt(real.cpuPerReq - r.cpuPerReq, 0)} µs`} | ${fmt((20 * bareCpu) / r.cpuPerReq, 2)} |`);
}

// Memory with every store a stand-in: what the isolate itself keeps (the simulators keep every queued message and row).
console.log(`workerd resident memory over the run with every binding a stand-in: ${fmt(isolateMemory.before)} → ${fmt(isolateMemory.after)} MB over ${isolateMemory.events} events accepted (${fmt(((isolateMemory.after - isolateMemory.before) * 1024 * 1024) / isolateMemory.events, 0)} bytes per event)`);

// Stage probes: n repetitions of one stage on one 20-event batch per request, CPU above the bare request, per event.
// Each figure is the median of three alternations of (n = N, n = 0): this machine's noise is ±20 % per run.
const N = 20;
const probeBody = JSON.stringify(fx.batch(20));
const probe = (stage, n) => () => ({ url: `${base}/__probe?stage=${stage}&n=${n}&key=${fx.WRITE_KEY}`, init: { method: 'POST', headers: { origin: fx.ORIGIN }, body: probeBody } });
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
/** CPU µs one repetition of `stage` costs (median of three alternations), whole, not per event. */
async function probeUs(stage, seconds = Math.max(1.5, SECONDS / 3)) {
  const diffs = [];
  for (let k = 0; k < 3; k++) {
    const r = await measure(probe(stage, N), { concurrency: 4, seconds });
    const zero = await measure(probe(stage, 0), { concurrency: 4, seconds });
    diffs.push((r.cpuPerReq - zero.cpuPerReq) / N);
  }
  return median(diffs);
}

// The floor of the storage design the issue prescribes, on these simulators: each call once with a
// minimal payload, against the bare request. No isolate work can go below it.
console.log('\nstorage floor per request on miniflare (one binding call, minimal payload; CPU µs, median of three):');
const floor = {};
for (const op of ['ledger', 'd1', 'queue', 'ratelimit']) floor[op] = await probeUs(`floor-${op}`);
const floorUs = floor.ledger + floor.d1 + 4 * floor.queue + 2 * floor.ratelimit;
console.log(`| call | CPU µs | bare requests |\n| --- | --- | --- |`);
for (const [op, times] of [['ledger', 1], ['d1', 1], ['queue', 4], ['ratelimit', 2]]) console.log(`| ${op} × ${times} | ${fmt(floor[op] * times, 0)} | ${fmt((floor[op] * times) / bareCpu, 2)} |`);
console.log(`floor of one ingest request (1 ledger call, 1 D1 batch, 4 sendBatch, 2 rate-limit calls): ${fmt(floorUs, 0)} µs = ${fmt(floorUs / bareCpu, 1)} bare requests (${fmt(bareCpu, 0)} µs);`);
console.log(`→ with zero isolate work a 20-event batch could reach at most ${fmt((20 * bareCpu) / (bareCpu + floorUs), 2)} events per bare-request cost (budget ≥ 2; 100-event batches: ${fmt((100 * bareCpu) / (bareCpu + floorUs), 2)})`);

console.log('\nisolate CPU per event by stage (20-event batch, n repetitions per probe request, bare request subtracted, median of three):');
console.log('| stage | µs per event |');
console.log('| --- | --- |');
const stageUs = {};
const STAGES = ['parse', 'zod-events', 'fast-events', 'scrub', 'consent', 'plan', 'serialize', 'all', 'request-prep', 'request', 'ledger', 'd1', 'queue'];
const chosen = process.env.GATEWAY_BENCH_STAGES ? process.env.GATEWAY_BENCH_STAGES.split(',').filter((s) => STAGES.includes(s)) : STAGES;
for (const stage of chosen) {
  stageUs[stage] = (await probeUs(stage)) / 20;
  // The d1 and queue probes plan the batch before storing it: net of the plan stage when it was measured.
  // The request stage is net of its own preparation (fresh ids, body, Request) when that was measured.
  const net = (stage === 'd1' || stage === 'queue') && stageUs.plan !== undefined ? stageUs[stage] - stageUs.plan
    : stage === 'request' && stageUs['request-prep'] !== undefined ? (stageUs.request = stageUs.request - stageUs['request-prep'])
    : stageUs[stage];
  console.log(`| ${stage} | ${fmt(net)} |`);
}
console.log('(request-prep: the request probe\'s own body and Request building, no ingest work; request is printed net of it)');
console.log('(ledger, d1 and queue are the storage calls of one batch, on miniflare\'s local simulators inside the same workerd process, net of the plan stage for d1/queue: not isolate CPU in production)');
const maybe = (v) => (v === undefined ? 'not measured' : fmt(v));
console.log(`\nbudgets: isolate CPU per event at 20-event batches ≤ 50 µs → ${maybe(stageUs.all)} µs for stages parse+scrub+consent+plan+serialize; ${maybe(stageUs.request)} µs for the whole request with stand-in bindings (stage request: Hono, middleware, plan, cookie, subject keys, audit, answer, hooks);`);
console.log(`         ≥ 2 events per bare-request cost end to end at 20-event batches → ${fmt((20 * bareCpu) / twenty.cpuPerReq, 2)} (CPU) / ${fmt((20 * twenty.rps) / bareRps, 2)} (req/s)`);
console.log(`validation: zod ${maybe(stageUs['zod-events'])} µs per event vs the hand-written fast check ${maybe(stageUs['fast-events'])} µs (same events; zod remains the source of truth)`);
console.log(`workerd resident memory after every run above: ${fmt(rssMb())} MB (start ${fmt(rss[0][1])} MB)`);
await mf.dispose();
