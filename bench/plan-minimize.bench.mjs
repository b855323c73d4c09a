// Cost of the tracking plan and the site minimization at ingest, per event, as a ratio to what ingest already does
// per event (zod validation of the wire event), measured in the same run. Pure functions, in Node.
import { build } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'sluice-plan-bench-'));
const entry = `
export { Event } from '${root}protocol/src/index.ts';
export { checkEvent } from '${root}gateway/src/plan/check-event.ts';
export { parsePlan } from '${root}gateway/src/plan/parse-plan.ts';
export { withholdByPurpose } from '${root}gateway/src/plan/withhold-by-purpose.ts';
export { minimizeEvent, minimizeEvents, minimizationRules } from '${root}gateway/src/minimize/index.ts';
`;
await build({ stdin: { contents: entry, resolveDir: root, loader: 'ts' }, bundle: true, platform: 'node', format: 'esm', outfile: join(dir, 'b.mjs'), logLevel: 'warning' });
const { Event, checkEvent, parsePlan, minimizeEvent, minimizeEvents, minimizationRules, withholdByPurpose } = await import(join(dir, 'b.mjs'));
rmSync(dir, { recursive: true, force: true });

const plan = parsePlan({
  version: 1,
  mode: 'strip',
  unplannedProperties: 'strip',
  events: {
    Purchase: {
      properties: {
        value: { type: 'number', required: true, min: 0, max: 100000, purposes: ['advertising'] },
        currency: { type: 'string', enum: ['eur', 'usd', 'gbp'] },
        orderId: { type: 'string', pattern: '^ord-[0-9]+$' },
        items: { type: 'array' },
      },
    },
  },
});
if (!plan.ok) throw new Error('bench plan invalid');
const rules = minimizationRules({ userAgent: 'generalize' });
const raw = {
  type: 'track', event: 'Purchase', eventId: '6d3f1f4e-9a8b-4c2d-8e1f-0a1b2c3d4e5f', timestamp: '2026-11-28T10:00:00Z', anonymousId: 'anon-1',
  properties: { value: 42.5, currency: 'eur', orderId: 'ord-1234', items: [{ sku: 'A-1', name: 'Shoe', qty: 1 }], note: 'gift for jane@example.com' },
  user: { email: 'jane@example.com' },
  context: { page: { url: 'https://shop.example/checkout?email=jane%40example.com&gclid=G1&utm_source=x', referrer: 'https://shop.example/cart' }, userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.109 Safari/537.36' },
};
const event = Event.parse(raw);

function time(fn, n) {
  for (let i = 0; i < 2000; i++) fn();
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) fn();
  return Number(process.hrtime.bigint() - start) / n / 1000; // µs per call
}
const N = 50_000;
const baseline = time(() => Event.safeParse(raw), N);
const minimize = time(() => minimizeEvent(event, rules), N);
// A batch of 50 events of one page (shared URL, referrer, user agent), per event.
const batch = Array.from({ length: 50 }, () => event);
const minimizeBatch = time(() => minimizeEvents(batch, rules), N / 50) / 50;
const check = time(() => checkEvent(plan.plan, event), N);
console.log('per event (µs)              | baseline: Event.safeParse | minimize (alone) | minimize (50 of one page) | checkEvent | plan+minimize in a batch / baseline');
console.log(`${' '.repeat(28)}| ${baseline.toFixed(2).padStart(25)} | ${minimize.toFixed(2).padStart(16)} | ${minimizeBatch.toFixed(2).padStart(25)} | ${check.toFixed(2).padStart(10)} | ${((minimizeBatch + check) / baseline).toFixed(2).padStart(8)}×`);
// Per-property consent purposes (issue 12): the plan's withholding per event, given the purposes the
// consent evaluation (already done for the destinations, memoized per signal set) granted.
const granted = (p) => p === 'measurement';
const withhold = time(() => withholdByPurpose(plan.plan, event, granted), N);
console.log(`withholdByPurpose (value withheld): ${withhold.toFixed(2)} µs per event = ${(withhold / baseline).toFixed(2)}× the baseline`);
