// Size of what the console and the demo's consent banner send to a browser (min+gzip, level 9), measured on
// dist/public after `npm run build`: the console's own script and stylesheet, uPlot, and the TCF CMP bundle.
// The baseline in the same run is the SDK core (dist/public/sdk.js): "the whole console costs N SDKs".
import { existsSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const root = new URL('..', import.meta.url).pathname;
const out = `${root}dist/public`;
if (!existsSync(`${out}/console-assets/console.js`)) {
  console.log('dist/public has no console assets: run `npm run build` first');
  process.exit(1);
}
const gz = (path) => gzipSync(readFileSync(`${out}/${path}`), { level: 9 }).length;
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const sdk = gz('sdk.js');
const rows = [
  ['console.js (charts from embedded data)', gz('console-assets/console.js')],
  ['console.css', gz('console-assets/console.css')],
  ['uPlot.iife.min.js', gz('console-assets/uPlot.iife.min.js')],
  ['uPlot.min.css', gz('console-assets/uPlot.min.css')],
  ['demo cmp.js (@iabtechlabtcf/cmpapi + core + fixture GVL)', gz('demo/cmp.js')],
];
const consoleTotal = rows.slice(0, 4).reduce((sum, [, n]) => sum + n, 0);
console.log('| file | min+gzip | × SDK core |');
console.log('| --- | --- | --- |');
for (const [name, n] of [...rows, ['console total (script, styles, uPlot)', consoleTotal], ['baseline: SDK core sdk.js', sdk]]) {
  console.log(`| ${name} | ${kb(n)} | ${(n / sdk).toFixed(2)} |`);
}
