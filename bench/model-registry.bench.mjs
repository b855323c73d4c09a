// The model registry's per-assignment read (issue 9): GET /v1/models/:name needs the rollout state
// (live, canary, shadow, kill) from a strongly consistent store so a kill switch or rollback is instant.
// Measured on miniflare (workerd), one isolate, beside a bare route in the same run: the previous KV read
// (2 gets, eventually consistent), the D1 statement the gateway now runs (loadAssignmentState), and a
// Durable Object per model holding the same state in SQLite. Also D1's rows read per statement.
// Local latency has no network distance in it: the price per million assignments decides, printed below.
// Env: MODEL_REGISTRY_BENCH_SECONDS (per point, default 3).
import { build } from 'esbuild';
import { Miniflare, Log, LogLevel } from 'miniflare';
import { readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyMigrations } from './apply-migrations.mjs';

const root = new URL('..', import.meta.url).pathname;
const SECONDS = Number(process.env.MODEL_REGISTRY_BENCH_SECONDS ?? 2);
const out = mkdtempSync(join(tmpdir(), 'sluice-registry-bench-'));
await build({
  entryPoints: [join(root, 'bench/models/registry-read-worker.ts')], bundle: true, format: 'esm', platform: 'neutral',
  mainFields: ['module', 'main'], conditions: ['workerd', 'worker', 'browser', 'import'], external: ['cloudflare:*', 'node:*'],
  outfile: join(out, 'worker.mjs'), logLevel: 'warning',
});
const mf = new Miniflare({
  modules: true, modulesRoot: out, scriptPath: join(out, 'worker.mjs'), compatibilityDate: '2026-04-01', cf: false,
  kvNamespaces: ['CONFIG'], d1Databases: ['DB'], durableObjects: { REGISTRY: { className: 'ModelRegistryObject', useSQLite: true } },
  host: '127.0.0.1', port: 0, log: new Log(LogLevel.WARN),
});
const base = (await mf.ready).toString().replace(/\/$/, '');
const db = await mf.getD1Database('DB');
await applyMigrations(db, root);
const kv = await mf.getKVNamespace('CONFIG');

// One model with ten versions and 40 changes of history (the state read must not grow with either).
const manifest = JSON.parse(readFileSync(join(root, 'edge-models/models/obd-click-lr/1.0.0/manifest.json'), 'utf8'));
const versions = Array.from({ length: 10 }, (_, i) => `1.${i}.0`);
for (const v of versions) {
  await db.prepare('INSERT INTO model_versions (site_id, model, version, sha256, bytes, manifest, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
    .bind('bench', 'obd-click-lr', v, manifest.sha256, manifest.bytes, JSON.stringify({ ...manifest, version: v }), 0).run();
  await kv.put(`model-manifest:bench:obd-click-lr:${v}`, JSON.stringify({ ...manifest, version: v }));
}
const state = { revision: 40, versions, live: '1.9.0', previousLive: '1.8.0', canary: { version: '1.8.0', percent: 5 }, shadow: null, killed: false };
for (let r = 1; r <= 40; r++) {
  await db.prepare('INSERT INTO model_changes (site_id, model, revision, action, detail, state, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
    .bind('bench', 'obd-click-lr', r, 'set-live', '{}', JSON.stringify({ ...state, revision: r }), r).run();
}
await kv.put('model-state:bench:obd-click-lr', JSON.stringify(state));
const manifests = Object.fromEntries(['1.9.0', '1.8.0'].map((v) => [v, { ...manifest, version: v }]));
await fetch(`${base}/do-put`, { method: 'POST', body: JSON.stringify({ state: JSON.stringify(state), manifests: JSON.stringify(manifests) }) });

async function measure(path, concurrency = 4) {
  for (let i = 0; i < 50; i++) await (await fetch(`${base}${path}`)).arrayBuffer();
  const latencies = [];
  const until = performance.now() + SECONDS * 1000;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (performance.now() < until) {
      const t = performance.now();
      const r = await fetch(`${base}${path}`);
      await r.arrayBuffer();
      if (r.status !== 200) throw new Error(`${path}: ${r.status}`);
      latencies.push(performance.now() - t);
    }
  }));
  latencies.sort((a, b) => a - b);
  return { n: latencies.length, rps: latencies.length / SECONDS, p50: latencies[Math.floor(latencies.length / 2)], p99: latencies[Math.floor(latencies.length * 0.99)] };
}

const meta = await (await fetch(`${base}/d1-meta`)).json();
console.log(`model registry read per assignment, miniflare, ${SECONDS} s per point × 3 interleaved rounds (best round shown), concurrency 4, load ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`);
console.log(`D1 statement: ${meta.rows_read} rows read (state: newest of 40 audit rows by primary key; manifests of live + canary of 10 versions)\n`);
console.log(`${'read'.padEnd(48)}${'req/s'.padStart(10)}${'p50'.padStart(10)}${'p99'.padStart(10)}${'vs bare p50'.padStart(14)}`);
// Three interleaved rounds (a shared machine drifts): each read's best round is printed.
const POINTS = [['bare route (baseline)', '/bare'], ['KV, 2 gets (previous; up to 60 s stale)', '/kv'], ["D1, SELECT 1 (the store's own floor here)", '/d1-ping'], ['D1, 1 statement (now; strongly consistent)', '/d1'], ['Durable Object, 1 RPC + SQLite (alternative)', '/do']];
const best = new Map();
for (let round = 0; round < 3; round++) {
  for (const [, path] of POINTS) {
    const m = await measure(path);
    if (!best.has(path) || m.p50 < best.get(path).p50) best.set(path, m);
  }
}
const bare = best.get('/bare');
for (const [label, path] of POINTS) {
  const m = best.get(path);
  console.log(`${label.padEnd(48)}${m.rps.toFixed(0).padStart(10)}${`${m.p50.toFixed(2)} ms`.padStart(10)}${`${m.p99.toFixed(2)} ms`.padStart(10)}${`${(m.p50 / bare.p50).toFixed(2)}×`.padStart(14)}`);
}
// Workers Paid list prices (developers.cloudflare.com, D1 and Durable Objects pricing pages, 2026):
// D1 $0.001 per million rows read beyond the included 25 billion/month; Durable Objects $0.15 per million
// requests beyond 1 million plus $12.50 per million GB-s of duration (128 MB per active object).
const d1 = (meta.rows_read * 0.001).toFixed(4);
console.log(`\nprice per million assignments beyond the included usage: D1 ${meta.rows_read} rows × $0.001/M rows = $${d1}; Durable Object ≥ $0.15 (requests alone, before duration)`);
console.log('D1 reads without a Sessions bookmark go to the primary: strongly consistent, as is a Durable Object; KV is not.');
await mf.dispose();
