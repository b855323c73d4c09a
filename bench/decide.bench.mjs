// Edge decisions (gateway/src/decide, edge-models/src/bandits):
// 1. POST /v1/decide through miniflare (workerd) beside the bare /healthz route of the same worker,
//    in the same run: latency median / p99 (sequential) and throughput (16 in flight).
//    Targets: decide ≥ 0.5 × bare throughput, decide p99 ≤ 10 ms.
// 2. Cumulative regret over 50k steps of a simulated click world (K = 5 arms, linear-logistic
//    clicks over a 10-dimensional context, geometric reward delays with mean 50 steps, one abrupt
//    change at step 25k, slow random-walk drift) for each algorithm, against uniform and ε-greedy.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { Miniflare } from 'miniflare';
import { applyMigrations } from './apply-migrations.mjs';

const root = new URL('..', import.meta.url).pathname;
const SEQUENTIAL = 1500;
const CONCURRENT = 3000;
const IN_FLIGHT = 16;
const WRITE_KEY = 'wk_bench_decide_0001';
const ORIGIN = 'https://shop.example';
const ADMIN_TOKEN = 'bench-admin-token-0123456789';

async function bundle(entry, platform, extra = {}) {
  const result = await build({ entryPoints: [entry], bundle: true, platform, format: 'esm', write: false, logLevel: 'error', ...extra });
  return result.outputFiles[0].text;
}

async function gateway() {
  const script = await bundle(`${root}gateway/src/index.ts`, 'neutral', { conditions: ['workerd', 'worker', 'browser'], mainFields: ['module', 'main'], external: ['cloudflare:*', 'node:*'], target: 'es2022' });
  const mf = new Miniflare({
    modules: true,
    script,
    compatibilityDate: '2026-04-01',
    compatibilityFlags: ['nodejs_compat'],
    kvNamespaces: ['CONFIG'],
    d1Databases: ['DB'],
    durableObjects: { EVENT_IDS: { className: 'EventIdLedger', useSQLite: true }, DECIDE: { className: 'ExperimentBandit', useSQLite: true } },
    bindings: { ADMIN_TOKEN },
  });
  const db = await mf.getD1Database('DB');
  await applyMigrations(db, root);
  const kv = await mf.getKVNamespace('CONFIG');
  await kv.put(`writekey:${WRITE_KEY}`, 'bench-shop');
  await kv.put('site:bench-shop', JSON.stringify({ id: 'bench-shop', allowedOrigins: [ORIGIN], destinations: {} }));
  return mf;
}

const percentile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

async function measure(send) {
  for (let i = 0; i < 100; i++) await send(i);
  const latencies = [];
  for (let i = 0; i < SEQUENTIAL; i++) {
    const t = performance.now();
    await send(i);
    latencies.push(performance.now() - t);
  }
  latencies.sort((a, b) => a - b);
  let next = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: IN_FLIGHT }, async () => {
    while (next < CONCURRENT) await send(next++);
  }));
  return { median: percentile(latencies, 0.5), p99: percentile(latencies, 0.99), throughput: CONCURRENT / ((performance.now() - t0) / 1000) };
}

async function latencyBench() {
  const mf = await gateway();
  try {
    const experiment = {
      slot: 'hero',
      arms: ['classic', 'sale', 'new', 'bundle'].map((id) => ({ id, payload: { title: id } })),
      defaultArm: 'classic',
      algorithm: { type: 'lints' },
      context: { features: [{ name: 'device', type: 'category', values: ['mobile', 'desktop', 'tablet'] }, { name: 'daypart', type: 'category', values: ['night', 'morning', 'afternoon', 'evening'] }, { name: 'segment', type: 'numeric', min: 0, max: 10 }], dimension: 9 },
      floor: 0.02,
    };
    const put = await mf.dispatchFetch('https://gw.example/v1/admin/sites/bench-shop/experiments/hero', { method: 'PUT', headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(experiment) });
    if (put.status !== 200) throw new Error(`experiment PUT failed: ${put.status} ${await put.text()}`);
    const bare = async () => {
      const r = await mf.dispatchFetch('https://gw.example/healthz');
      await r.arrayBuffer();
    };
    let fallbacks = 0;
    const decide = async (i) => {
      const r = await mf.dispatchFetch(`https://gw.example/v1/decide?key=${WRITE_KEY}`, {
        method: 'POST',
        headers: { origin: ORIGIN, 'content-type': 'application/json' },
        body: JSON.stringify({ experiment: 'hero', context: { device: ['mobile', 'desktop', 'tablet'][i % 3], daypart: 'evening', segment: i % 10 } }),
      });
      const body = await r.json();
      if (r.status !== 200) throw new Error(`decide ${r.status}: ${JSON.stringify(body)}`);
      if (body.policyVersion.endsWith('.fallback')) fallbacks++;
    };
    const b = await measure(bare);
    const d = await measure(decide);
    const ratio = d.throughput / b.throughput;
    console.log('POST /v1/decide through miniflare (workerd), LinTS, 4 arms, 9-dim context, decision logged to D1:\n');
    console.log('| route | median ms | p99 ms | req/s (16 in flight) |');
    console.log('| --- | --- | --- | --- |');
    console.log(`| bare GET /healthz | ${b.median.toFixed(2)} | ${b.p99.toFixed(2)} | ${b.throughput.toFixed(0)} |`);
    console.log(`| POST /v1/decide | ${d.median.toFixed(2)} | ${d.p99.toFixed(2)} | ${d.throughput.toFixed(0)} |`);
    console.log(`\ndecide / bare throughput: ${ratio.toFixed(2)} (target ≥ 0.5: ${ratio >= 0.5 ? 'met' : 'NOT met'}); decide p99 ${d.p99.toFixed(2)} ms (target ≤ 10 ms: ${d.p99 <= 10 ? 'met' : 'NOT met'}); fallbacks served: ${fallbacks}`);
  } finally {
    await mf.dispose();
  }
}

async function regretBench() {
  const source = `export { simulateRegret, BENCH_ENVIRONMENT } from '${root}edge-models/src/bandits/simulate-regret.ts';`;
  const code = await build({ stdin: { contents: source, resolveDir: root, loader: 'ts' }, bundle: true, platform: 'node', format: 'esm', write: false, logLevel: 'error' });
  const { simulateRegret, BENCH_ENVIRONMENT: env } = await import(`data:text/javascript;base64,${Buffer.from(code.outputFiles[0].text).toString('base64')}`);
  const runs = [
    ['uniform', { type: 'uniform' }, false],
    ['ε-greedy (ε = 0.1)', { type: 'epsilon-greedy', epsilon: 0.1 }, false],
    ['Thompson sampling (Beta, context-free)', { type: 'thompson' }, false],
    ['LinUCB (α = 1)', { type: 'linucb' }, true],
    ['LinUCB (α = 0.5)', { type: 'linucb', alpha: 0.5 }, true],
    ['LinTS (v = 0.25)', { type: 'lints' }, true],
  ];
  console.log(`\nCumulative expected regret, ${env.steps.toLocaleString('en')} steps, K = ${env.arms}, d = ${env.dimension}, mean delay ${env.meanDelay}, abrupt change at ${env.changeAt.toLocaleString('en')}, drift σ = ${env.drift}/step, floor 0.01:\n`);
  console.log('| algorithm | regret | vs uniform | vs ε-greedy | clicks | regret at 10 % … 100 % of steps | time s |');
  console.log('| --- | --- | --- | --- | --- | --- | --- |');
  let uniform, greedy;
  for (const [name, algorithm, contextual] of runs) {
    const t = performance.now();
    const r = simulateRegret({ arms: env.arms, dimension: contextual ? env.dimension : 1, algorithm, floor: 0.01 }, env);
    if (algorithm.type === 'uniform') uniform = r.regret;
    if (algorithm.type === 'epsilon-greedy') greedy = r.regret;
    const vs = (base) => (base ? (r.regret / base).toFixed(2) : '—');
    console.log(`| ${name} | ${r.regret.toFixed(0)} | ${vs(uniform)} | ${vs(greedy)} | ${r.clicks} | ${r.regretAt.map((v) => v.toFixed(0)).join(' ')} | ${((performance.now() - t) / 1000).toFixed(1)} |`);
  }
}

await latencyBench();
if (!process.argv.includes("--latency-only")) await regretBench();
