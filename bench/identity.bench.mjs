// Identity normalize + hash throughput inside workerd (Miniflare), before and after issue 8:
// the frozen previous implementation (bench/identity-v1/: digit-stripping phones, crypto.subtle,
// no memo) against the current gateway/src/identity/ (libphonenumber-js max metadata, synchronous
// SHA-256, per-request memo), on a realistic mixed user object (bench/identity-worker.ts).
// Timed from Node around each request (workerd does not advance its clock during synchronous
// work); every figure is the best of 7 runs, taken round-robin, and ratios are against v1 measured in the same run.
import { build } from 'esbuild';
import { Miniflare } from 'miniflare';
import { gzipSync } from 'node:zlib';

const root = new URL('..', import.meta.url).pathname;
const TARGET_MS = 250;
const RUNS = 7;

async function bundleText(entry, extra = {}) {
  const result = await build({ entryPoints: [entry], bundle: true, minify: true, format: 'esm', platform: 'neutral', write: false, logLevel: 'silent', absWorkingDir: root, ...extra });
  return result.outputFiles[0].text;
}

const script = await bundleText('bench/identity-worker.ts');
const mf = new Miniflare({ modules: true, script, compatibilityDate: '2026-04-01' });

async function run(workload, n) {
  const started = performance.now();
  const response = await mf.dispatchFetch(`http://bench.local/?w=${workload}&n=${n}`);
  await response.json();
  return performance.now() - started;
}

/** Sizes `n` so that one run of a workload takes about TARGET_MS. */
async function calibrate(workload) {
  let n = 100;
  for (let ms = await run(workload, n); ms < TARGET_MS / 4; ms = await run(workload, n)) n *= 4;
  return Math.max(n, Math.round((n * TARGET_MS) / (await run(workload, n))));
}

/**
 * Operations per second of each workload, best of RUNS, measured round-robin so that load from
 * other processes on the machine (it is shared) hits every workload alike.
 */
async function opsPerSecond(workloads) {
  const sizes = {};
  for (const w of workloads) sizes[w] = await calibrate(w);
  const best = Object.fromEntries(workloads.map((w) => [w, Infinity]));
  for (let i = 0; i < RUNS; i++) for (const w of workloads) best[w] = Math.min(best[w], await run(w, sizes[w]));
  return Object.fromEntries(workloads.map((w) => [w, (sizes[w] * 1000) / best[w]]));
}

const fmt = (x) => Math.round(x).toLocaleString('en-US');
try {
  console.log('Identity normalize + hash in workerd (one op = one user object through the Meta, Google and TikTok profiles)');
  const rows = [
    ['user object, v1 (digits-only phones, crypto.subtle)', 'user-v1'],
    ['user object, v2 (libphonenumber max, sync SHA-256)', 'user-v2'],
    ['user object, v2 + per-request memo (1 event/request)', 'user-v2-memo1'],
    ['user object, v2 + per-request memo (10 events/visitor)', 'user-v2-memo'],
  ];
  const results = await opsPerSecond([...rows.map(([, w]) => w), 'phone-v1', 'phone-v2', 'sha-subtle', 'sha-sync']);
  for (const [label, w] of rows) console.log(`  ${label.padEnd(58)} ${fmt(results[w]).padStart(10)} ops/s  ×${(results[w] / results['user-v1']).toFixed(2)} vs v1`);
  console.log('Phone alone (one op = one number)');
  const [p1, p2] = [results['phone-v1'], results['phone-v2']];
  console.log(`  ${'v1 digit stripping'.padEnd(58)} ${fmt(p1).padStart(10)} ops/s`);
  console.log(`  ${'v2 libphonenumber (regions: address country, GB)'.padEnd(58)} ${fmt(p2).padStart(10)} ops/s  ×${(p2 / p1).toFixed(3)} vs v1`);
  console.log('SHA-256 of short values (one op = one digest, 1–20 bytes)');
  const [s1, s2] = [results['sha-subtle'], results['sha-sync']];
  console.log(`  ${'crypto.subtle.digest (v1)'.padEnd(58)} ${fmt(s1).padStart(10)} ops/s`);
  console.log(`  ${'sha256HexSync (v2, pure JS)'.padEnd(58)} ${fmt(s2).padStart(10)} ops/s  ×${(s2 / s1).toFixed(2)} vs subtle`);
  const gz = (text) => gzipSync(text, { level: 9 }).length;
  const idV1 = gz(await bundleText('bench/identity-v1/index.ts'));
  const idV2 = gz(await bundleText('gateway/src/identity/index.ts'));
  const gateway = gz(await bundleText('gateway/src/index.ts', { external: ['cloudflare:*', 'node:*'], conditions: ['workerd', 'worker', 'browser'], mainFields: ['module', 'main'] }));
  console.log('Bundle (esbuild --minify, gzip -9)');
  console.log(`  identity module v1 ${(idV1 / 1024).toFixed(1)} KB → v2 ${(idV2 / 1024).toFixed(1)} KB (+${((idV2 - idV1) / 1024).toFixed(1)} KB, libphonenumber-js max metadata); whole gateway worker now ${(gateway / 1024).toFixed(1)} KB`);
} finally {
  await mf.dispose();
}
