// `npm start`'s build step: runs `npm run build` with its output (rollup's warnings about zod's comments,
// circular imports …) in .wrangler/build.log instead of the terminal; on failure prints all of it.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';

const root = new URL('..', import.meta.url).pathname;
const log = `${root}.wrangler/build.log`;
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const result = spawnSync(npm, ['run', 'build'], { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
mkdirSync(`${root}.wrangler`, { recursive: true });
writeFileSync(log, `${result.stdout ?? ''}${result.stderr ?? ''}`);
if (result.status !== 0) {
  process.stderr.write(`${result.stdout ?? ''}${result.stderr ?? ''}\nbuild failed (log: ${log})\n`);
  process.exit(result.status ?? 1);
}
console.log(`built the SDK, the demo shop and the console assets (log: .wrangler/build.log)`);
