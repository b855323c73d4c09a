// SDK size, measured the same way for Sluice and its peers: esbuild (bundle, minify, ESM, browser),
// one init + one track, gzip -9. Lazily loaded chunks (code splitting) are listed apart.
// Also prints the files Sluice actually ships (sdk/dist, built by rollup) against the 5 KB core budget.
import { build } from 'esbuild';
import { execSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { libraries, SLUICE_VERSION } from './peers/entries.mjs';

/** Issue 5's budget for the core: capture, queue, transport, identity, consent hooks. */
const CORE_BUDGET_GZ = 5 * 1024;
const root = new URL('..', import.meta.url).pathname;
const gz = (bytes) => gzipSync(bytes, { level: 9 }).length;
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

/** Bundles an entry: `splitting` keeps dynamic imports as separate (lazily loaded) chunks. */
async function bundle(entry, splitting) {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-size-'));
  const result = await build({
    entryPoints: [entry], bundle: true, minify: true, format: 'esm', platform: 'browser', splitting,
    outdir: dir, write: true, metafile: true, logLevel: 'silent', define: { __SLUICE_VERSION__: JSON.stringify(SLUICE_VERSION) },
  });
  const outputs = Object.entries(result.metafile.outputs).filter(([file]) => file.endsWith('.js'));
  return {
    entry: outputs.filter(([, o]) => o.entryPoint).map(([file]) => readFileSync(file))[0],
    all: outputs.map(([file]) => readFileSync(file)),
  };
}

async function measure(name, source) {
  const entry = join(root, 'bench/peers', `.entry-${name.replace(/\W/g, '_')}.mjs`);
  writeFileSync(entry, source);
  try {
    const whole = await bundle(entry, false);
    const split = await bundle(entry, true);
    return { min: whole.entry.length, gz: gz(whole.entry), initialGz: gz(split.entry) };
  } finally {
    execSync(`rm -f '${entry}'`);
  }
}

const rows = [];
for (const [name, { size }] of Object.entries(libraries)) {
  try {
    rows.push({ name, ...(await measure(name, size)) });
  } catch (error) {
    rows.push({ name, skipped: String(error.message ?? error).split('\n')[0] });
  }
}
console.log('One init + one track, esbuild --bundle --minify --format=esm, gzip -9.');
console.log('"all code": dynamic imports bundled in; "first load": with code splitting, the entry chunk alone.');
console.log('Sluice loads its optional chunks by URL from the gateway (listed below), so they are not in these columns.\n');
console.log(`${'library'.padEnd(28)}${'min'.padStart(10)}${'all code gz'.padStart(14)}${'first load gz'.padStart(16)}`);
for (const r of rows) {
  if (r.skipped) console.log(`${r.name.padEnd(28)}skipped: ${r.skipped}`);
  else console.log(`${r.name.padEnd(28)}${kb(r.min).padStart(10)}${kb(r.gz).padStart(14)}${kb(r.initialGz).padStart(16)}`);
}

execSync('npm run -s build -w sdk', { cwd: root, stdio: 'ignore' });
const dist = join(root, 'sdk/dist');
const shipped = [
  ['sluice.esm.js (core, ESM)', 'sluice.esm.js'],
  ['sluice.js (core, script tag)', 'sluice.js'],
  ['chunks/sluice-idb.js (lazy)', 'chunks/sluice-idb.js'],
  ['chunks/sluice-consent.js (lazy)', 'chunks/sluice-consent.js'],
  ['chunks/sluice-rank.js (lazy, personalization)', 'chunks/sluice-rank.js'],
  ...readdirSync(join(dist, 'chunks')).filter((f) => f.startsWith('read-') && f.endsWith('.js')).map((f) => [`chunks/${f} (lazy)`, `chunks/${f}`]),
];
console.log('\nWhat Sluice ships (rollup + terser, sdk/dist), gzip -9:\n');
for (const [label, file] of shipped) {
  const bytes = readFileSync(join(dist, file));
  console.log(`${label.padEnd(44)}${kb(bytes.length).padStart(10)}${kb(gz(bytes)).padStart(10)}`);
}
const cores = ['sluice.esm.js', 'sluice.js'].map((file) => [file, gz(readFileSync(join(dist, file)))]);
const core = Math.max(...cores.map(([, bytes]) => bytes));
// Exact bytes: a budget this tight is lost by tens of bytes, which "5.0 KB" hides.
console.log(`\nCore budget ${CORE_BUDGET_GZ} B gzip: ${core <= CORE_BUDGET_GZ ? 'met' : 'EXCEEDED'} (${cores.map(([f, b]) => `${f} ${b} B, ${CORE_BUDGET_GZ - b} B left`).join('; ')}).`);
if (core > CORE_BUDGET_GZ) process.exitCode = 1;
