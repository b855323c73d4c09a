// Warehouse landing: events/s through the Parquet batch writer (the gateway's own writeParquet, as
// the WarehouseWriter calls it), bytes per event as Parquet vs NDJSON-gzip (the baseline, measured in
// the same run), the Parquet/JSON ratio the writer's flush threshold assumes, and what
// hyparquet-writer adds to the worker bundle (esbuild, minified, gzip -9, with and without it).
import { build } from 'esbuild';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const root = new URL('..', import.meta.url).pathname;
const EVENTS = 20_000;
const RUNS = 5;
const dir = mkdtempSync(join(tmpdir(), 'sluice-warehouse-bench-'));

/** Bundles a gateway module for Node (the writer and row mapper are plain TS + WebCrypto). */
async function load(entry) {
  const outfile = join(dir, `${entry.replace(/\W/g, '_')}.mjs`);
  await build({ entryPoints: [join(root, entry)], bundle: true, format: 'esm', platform: 'node', outfile, logLevel: 'silent' });
  return import(outfile);
}

async function workerBundleGz(withoutParquet) {
  const stub = {
    name: 'no-parquet',
    setup(b) {
      b.onResolve({ filter: /^hyparquet-writer$/ }, () => ({ path: 'stub', namespace: 'stub' }));
      b.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({ contents: 'export class ByteWriter {} export class ParquetWriter {} export const schemaFromColumnData = () => [];', loader: 'js' }));
    },
  };
  const result = await build({
    entryPoints: [join(root, 'gateway/src/index.ts')], bundle: true, minify: true, format: 'esm', platform: 'neutral',
    mainFields: ['module', 'main'], conditions: ['workerd', 'worker', 'browser'], external: ['cloudflare:*', 'node:*'],
    write: false, logLevel: 'silent', plugins: withoutParquet ? [stub] : [],
  });
  const code = result.outputFiles[0].contents;
  return { min: code.length, gz: gzipSync(code, { level: 9 }).length };
}

const { writeParquet } = await load('gateway/src/destinations/warehouse/write-parquet.ts');
const { toWarehouseRow } = await load('gateway/src/destinations/warehouse/to-warehouse-row.ts');

const names = ['PageView', 'PageView', 'PageView', 'ViewContent', 'AddToCart', 'InitiateCheckout', 'Purchase', 'Lead'];
const events = Array.from({ length: EVENTS }, (_, i) => {
  const name = names[i % names.length];
  return {
    type: name === 'PageView' ? 'page' : 'track',
    ...(name !== 'PageView' && { event: name }),
    eventId: crypto.randomUUID(),
    timestamp: new Date(Date.UTC(2026, 11, 1, 12) + i * 1000).toISOString(),
    anonymousId: `anon-${i % 3000}`,
    ...(i % 4 === 0 && { userId: `customer-${i % 900}`, user: { email: `user${i % 900}@example.org`, phone: `+49 30 ${1000000 + (i % 900)}` } }),
    ...(name !== 'PageView' && { properties: { value: (i % 200) + 0.99, currency: 'EUR', orderId: `o-${i}`, contentIds: [`sku-${i % 150}`] } }),
    context: {
      page: { url: `https://shop.example/products/${i % 150}?utm_source=news`, referrer: 'https://www.google.com/', title: `Product ${i % 150}` },
      userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36',
      locale: 'de-DE',
      utm: { source: 'news', medium: 'email', campaign: 'winter' },
      sessionId: String(1_700_000_000 + (i % 3000)),
    },
  };
});
const facts = (i) => ({ ip: `203.0.${i % 250}.${i % 200}`, userAgent: undefined, receivedAt: Date.UTC(2026, 11, 1, 13) });
const rows = await Promise.all(events.map((e, i) => toWarehouseRow(e, facts(i), { mode: 'full', adUserData: 'granted', adPersonalization: 'granted' })));

function time(fn) {
  const samples = [];
  let out;
  for (let r = 0; r < RUNS; r++) {
    const start = performance.now();
    out = fn();
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  return { ms: samples[Math.floor(RUNS / 2)], out };
}

const parquet = time(() => writeParquet(rows));
const ndjson = time(() => gzipSync(rows.map((r) => JSON.stringify(r)).join('\n'), { level: 6 }));
const jsonBytes = rows.reduce((n, r) => n + JSON.stringify(r).length, 0);
const perSec = (t) => Math.round(EVENTS / (t.ms / 1000)).toLocaleString('en-US');
const perEvent = (bytes) => (bytes / EVENTS).toFixed(1);

console.log(`${EVENTS.toLocaleString('en-US')} events (demo mix: 8 names, 1 in 4 identified), median of ${RUNS} runs, Node ${process.version}`);
console.log('| writer | events/s | bytes/event | file for 20k events |');
console.log('| --- | ---: | ---: | ---: |');
console.log(`| Parquet (hyparquet-writer, snappy) | ${perSec(parquet)} | ${perEvent(parquet.out.byteLength)} | ${(parquet.out.byteLength / 1024).toFixed(0)} KB |`);
console.log(`| baseline: NDJSON + gzip -6 | ${perSec(ndjson)} | ${perEvent(ndjson.out.length)} | ${(ndjson.out.length / 1024).toFixed(0)} KB |`);
console.log(`Parquet is ${(parquet.out.byteLength / ndjson.out.length).toFixed(2)}× the NDJSON-gzip bytes and takes ${(parquet.ms / ndjson.ms).toFixed(2)}× its time.`);
console.log(`Parquet bytes per byte of row JSON: ${(parquet.out.byteLength / jsonBytes).toFixed(3)} (warehouse-limits.ts estimates 0.12 for flush-by-size: at or below this, files flushed by size reach the target)`);

const [withParquet, without] = await Promise.all([workerBundleGz(false), workerBundleGz(true)]);
console.log(`Worker bundle (esbuild, minified): ${(withParquet.min / 1024).toFixed(0)} KB, ${(withParquet.gz / 1024).toFixed(1)} KB gzip; hyparquet-writer adds ${((withParquet.min - without.min) / 1024).toFixed(1)} KB minified, ${((withParquet.gz - without.gz) / 1024).toFixed(1)} KB gzip (Workers limit: 3 MB gzip free, 10 MB paid).`);
