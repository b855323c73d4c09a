import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from './repo-root.ts';

const run = promisify(execFile);
const ROOT = repoRoot();
const WRANGLER = join(ROOT, 'node_modules/wrangler/bin/wrangler.js');
/** Offline hygiene: no telemetry, no Request.cf download, no prompts. */
const WRANGLER_ENV = { ...process.env, CI: 'true', WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' };
/** wrangler dev takes 3–8 s to come up on this machine (toolchain.md §4); allow for a loaded CI box. */
export const GATEWAY_START_TIMEOUT_MS = 60_000;

export interface GatewayOptions {
  port: number;
  /** Local state directory; a fresh temporary one by default so runs never see each other's data. */
  persistTo?: string;
  /** KV entries to seed before start. */
  kv?: { key: string; value: string }[];
  /** Vars and secrets for the worker (`--var NAME:VALUE`). */
  vars?: Record<string, string>;
  /** Print wrangler's output (npm start) instead of collecting it (tests). */
  inheritOutput?: boolean;
  /** Append wrangler's output to this file instead (npm start: a quiet terminal, the log on disk). */
  logFile?: string;
}

export interface RunningGateway {
  url: string;
  persistTo: string;
  /** What wrangler printed, for assertions that nothing personal was logged. */
  output(): string;
  stop(): Promise<void>;
}

/** Seeds local KV and D1, then runs `wrangler dev` (workerd, local state) and waits until /healthz answers. */
export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const persistTo = options.persistTo ?? mkdtempSync(join(tmpdir(), 'sluice-state-'));
  const local = ['--local', '--persist-to', persistTo];
  if (options.kv?.length) {
    const file = join(mkdtempSync(join(tmpdir(), 'sluice-kv-')), 'kv.json');
    writeFileSync(file, JSON.stringify(options.kv));
    await wrangler(['kv', 'bulk', 'put', file, '--binding', 'CONFIG', ...local]);
  }
  await wrangler(['d1', 'migrations', 'apply', 'DB', ...local]);
  const vars = Object.entries(options.vars ?? {}).flatMap(([k, v]) => ['--var', `${k}:${v}`]);
  const child = spawn(
    process.execPath,
    [WRANGLER, 'dev', '--ip', '127.0.0.1', '--port', String(options.port), '--persist-to', persistTo, '--show-interactive-dev-session=false', ...vars],
    { cwd: ROOT, env: WRANGLER_ENV, stdio: ['ignore', ...outputTo(options)], detached: true },
  );
  // Whole lines only: stdout and stderr chunks end anywhere (a log line and its newline can arrive
  // apart), so appending chunks as they come would splice one stream's line into the other's.
  let collected = '';
  const partial = { stdout: '', stderr: '' };
  for (const name of ['stdout', 'stderr'] as const) {
    child[name]?.on('data', (d: Buffer) => {
      const text = partial[name] + d.toString();
      const end = text.lastIndexOf('\n') + 1;
      collected += text.slice(0, end);
      partial[name] = text.slice(end);
    });
  }
  const output = () => (options.logFile ? readFileSync(options.logFile, 'utf8') : collected + [partial.stdout, partial.stderr].filter(Boolean).join('\n'));
  const url = `http://127.0.0.1:${options.port}`;
  await waitForHealth(url, child, output);
  return { url, persistTo, output, stop: () => stop(child) };
}

function outputTo(options: GatewayOptions): ['inherit', 'inherit'] | ['pipe', 'pipe'] | [number, number] {
  if (options.logFile) {
    mkdirSync(dirname(options.logFile), { recursive: true });
    const fd = openSync(options.logFile, 'a');
    return [fd, fd];
  }
  return options.inheritOutput ? ['inherit', 'inherit'] : ['pipe', 'pipe'];
}

async function wrangler(args: string[]): Promise<void> {
  await run(process.execPath, [WRANGLER, ...args], { cwd: ROOT, env: WRANGLER_ENV, maxBuffer: 16 * 1024 * 1024 });
}

async function waitForHealth(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + GATEWAY_START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited with ${child.exitCode}:\n${output()}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  await stop(child);
  throw new Error(`wrangler dev did not answer /healthz within ${GATEWAY_START_TIMEOUT_MS} ms:\n${output()}`);
}

/** Ends wrangler and its workerd children (they share the detached process group). */
async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.pid === undefined) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    return;
  }
  const timer = setTimeout(() => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }, 5000);
  await exited;
  clearTimeout(timer);
}
