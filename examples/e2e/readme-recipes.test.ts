/**
 * Every ```sh block of README.md, run as a newcomer would paste it: in a fresh bash at the
 * repository root while the local stack runs (here: `wrangler dev` with the demo site and its
 * policy, as `npm start` seeds them), with `.dev.vars` holding the admin tokens. The block that
 * *is* `npm start` / `npm test` is the one not run: the harness stands in for it.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { E2E_ADMIN_TOKEN, E2E_READONLY_TOKEN, startDemoStack, type DemoStack } from './harness/index.ts';

const ROOT = process.cwd();
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const BLOCKS = [...README.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);
const STARTS_THE_STACK = /^npm (install|start|test)\b/m;

let stack: DemoStack;
let cwd: string;

beforeAll(async () => {
  // A stand-in for the repository root whose `.dev.vars` and `.wrangler/state` are this test's own.
  cwd = mkdtempSync(join(tmpdir(), 'sluice-readme-'));
  for (const name of ['wrangler.toml', 'package.json', 'node_modules', 'consent', 'gateway', 'dist', 'protocol', 'sdk', 'examples', 'edge-models']) {
    symlinkSync(join(ROOT, name), join(cwd, name));
  }
  writeFileSync(join(cwd, '.dev.vars'), `ADMIN_TOKEN=${E2E_ADMIN_TOKEN}\nADMIN_READONLY_TOKEN=${E2E_READONLY_TOKEN}\n`);
  stack = await startDemoStack(undefined, { policy: true, geo: 'DE', persistTo: join(cwd, '.wrangler/state') });
});

afterAll(async () => {
  await stack?.stop();
});

async function run(block: string): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)('bash', ['-euo', 'pipefail', '-c', block], {
      cwd,
      env: { ...process.env, GATEWAY: stack.gateway.url, CI: 'true', WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' },
      timeout: 90_000,
    });
    return { code: 0, out: stdout + stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : 1, out: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

it('README has runnable sh recipes, and only the first one starts the stack', () => {
  expect(BLOCKS.length).toBeGreaterThanOrEqual(5);
  expect(BLOCKS.filter((b) => STARTS_THE_STACK.test(b))).toEqual([BLOCKS[0]]);
});

it.each(BLOCKS.map((block, i) => [i, block] as const).filter(([, b]) => !STARTS_THE_STACK.test(b)))('README sh block %i works as pasted', async (_i, block) => {
  const { code, out } = await run(block);
  expect(code, out).toBe(0);
  // Every JSON body the gateway answered is JSON, and none is an error.
  for (const line of out.split('\n').filter((l) => l.startsWith('{'))) {
    const body = JSON.parse(line) as Record<string, unknown>;
    expect(body.error, line).toBeUndefined();
  }
  if (block.includes('/v1/event-fate')) expect(out).toContain('"fate":"dropped_by_consent"');
  if (block.includes('/policy/simulate')) expect(out).toMatch(/"meta":\{"decision":"limited"/);
  if (block.includes('/metrics')) expect(out).toContain('# TYPE sluice_deliveries_total counter');
  if (block.includes('wk_live_abc123')) expect(out).toContain('"consent"');
});
