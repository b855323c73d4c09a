// Lays out what the gateway serves first-party from the Workers assets binding (wrangler.toml [assets]):
//   /sdk.js, /sdk.esm.js          latest SDK (short cache)
//   /sdk/<version>/sluice.js      immutable, versioned copy (long cache + SRI)
//   /demo/                        the demo shop (examples/site)
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';

const root = new URL('..', import.meta.url).pathname;
const out = `${root}dist/public`;
const { version } = JSON.parse(readFileSync(`${root}sdk/package.json`, 'utf8'));

rmSync(out, { recursive: true, force: true });
mkdirSync(`${out}/sdk/${version}`, { recursive: true });
const files = {};
for (const name of ['sluice.js', 'sluice.esm.js']) {
  const source = readFileSync(`${root}sdk/dist/${name}`);
  writeFileSync(`${out}/sdk/${version}/${name}`, source);
  writeFileSync(`${out}/${name.replace('sluice', 'sdk')}`, source);
  files[name] = `sha384-${createHash('sha384').update(source).digest('base64')}`;
}
writeFileSync(`${out}/sdk/manifest.json`, JSON.stringify({ version, integrity: files }, null, 2));
cpSync(`${root}examples/site`, `${out}/demo`, { recursive: true });
console.log(`built dist/public (sdk ${version})`);
