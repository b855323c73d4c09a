#!/usr/bin/env node
// `sluice-dp` — runs privacy/src/cli/main.ts, i.e. the very TypeScript sources the gateway
// bundles (no second, compiled copy that could drift). Node 20 cannot run TypeScript, so the
// sources are bundled in memory with esbuild (a dev dependency of the workspace root) and
// imported from a data: URL. Startup costs ~50 ms; sampling then runs at full speed.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const entry = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
const result = await build({
  stdin: { contents: `export { main } from ${JSON.stringify(entry)};`, resolveDir: process.cwd(), loader: 'ts' },
  bundle: true,
  write: false,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  logLevel: 'error',
});
const code = result.outputFiles[0].text;
const { main } = await import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`);
await main();
