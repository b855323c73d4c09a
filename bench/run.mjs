// `npm run bench`: runs every bench/*.bench.mjs in turn, each bounded in time, and prints what they print.
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';

/** One bench may take at most this long; then it is stopped and the run goes on. */
const BENCH_TIMEOUT_MS = 5 * 60 * 1000;
const here = new URL('.', import.meta.url).pathname;
const only = process.argv[2];

for (const file of readdirSync(here).filter((f) => f.endsWith('.bench.mjs') && (!only || f.includes(only))).sort()) {
  console.log(`\n=== ${file} ===`);
  const code = await new Promise((resolve) => {
    const child = spawn(process.execPath, [`${here}${file}`], { stdio: 'inherit' });
    const timer = setTimeout(() => {
      console.log(`(stopped after ${BENCH_TIMEOUT_MS / 1000} s)`);
      child.kill('SIGKILL');
    }, BENCH_TIMEOUT_MS);
    child.on('exit', (status) => {
      clearTimeout(timer);
      resolve(status);
    });
  });
  if (code) process.exitCode = 1;
}
