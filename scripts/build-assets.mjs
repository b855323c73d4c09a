// Lays out what the gateway serves first-party from the Workers assets binding (wrangler.toml [assets]):
//   /sdk.js, /sdk.esm.js            latest SDK core (short cache, revalidated)
//   /sdk/<version>/...              immutable, versioned core and its lazy chunks (long cache + SRI)
//   /sdk/manifest.json              version and SRI hashes to paste into <script integrity=…>
//   /demo/                          the demo shop (examples/site)
//   /console-assets/                the console's script, stylesheet and uPlot (gateway/src/console/assets)
import { cpSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { buildSync } from 'esbuild';

const root = new URL('..', import.meta.url).pathname;
const out = `${root}dist/public`;
const dist = `${root}sdk/dist`;
const { version } = JSON.parse(readFileSync(`${root}sdk/package.json`, 'utf8'));
const versioned = `${out}/sdk/${version}`;

rmSync(out, { recursive: true, force: true });
mkdirSync(versioned, { recursive: true });
const integrity = {};
const sri = (bytes) => `sha384-${createHash('sha384').update(bytes).digest('base64')}`;
for (const name of ['sluice.js', 'sluice.esm.js']) {
  const source = readFileSync(`${dist}/${name}`);
  writeFileSync(`${versioned}/${name}`, source);
  writeFileSync(`${out}/${name.replace('sluice', 'sdk')}`, source);
  integrity[name] = sri(source);
}
// onnxruntime-web's wasm, next to the `sluice-ort` chunk that loads it (only for models the tiny runtime cannot run).
for (const name of readdirSync(`${dist}/chunks`).filter((f) => f.endsWith('.wasm'))) writeFileSync(`${versioned}/${name}`, readFileSync(`${dist}/chunks/${name}`));
for (const name of readdirSync(`${dist}/chunks`).filter((f) => f.endsWith('.js'))) {
  const source = readFileSync(`${dist}/chunks/${name}`);
  writeFileSync(`${versioned}/${name}`, source);
  integrity[name] = sri(source);
}
writeFileSync(`${out}/sdk/manifest.json`, JSON.stringify({ version, path: `/sdk/${version}/`, integrity }, null, 2));
cpSync(`${root}examples/site`, `${out}/demo`, { recursive: true, filter: (path) => !path.endsWith('.ts') });
// The demo's consent banner: a real IAB TCF CMP (@iabtechlabtcf/cmpapi + core), bundled for the browser.
buildSync({ entryPoints: [`${root}examples/site/cmp/demo-cmp.ts`], bundle: true, minify: true, format: 'iife', target: 'es2022', outfile: `${out}/demo/cmp.js`, logLevel: 'warning' });
// The console's client side: its own script and stylesheet, and uPlot (charts) from node_modules.
cpSync(`${root}gateway/src/console/assets`, `${out}/console-assets`, { recursive: true });
for (const name of ['uPlot.iife.min.js', 'uPlot.min.css']) cpSync(`${root}node_modules/uplot/dist/${name}`, `${out}/console-assets/${name}`);
console.log(`built dist/public (sdk ${version})`);
