import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';

/** Reads one `NAME=value` line of a `.dev.vars` file (undefined when absent). */
export function readDevVar(path: string, name: string): string | undefined {
  if (!existsSync(path)) return undefined;
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const match = /^\s*([A-Z0-9_]+)\s*=\s*"?(.*?)"?\s*$/.exec(line);
    if (match?.[1] === name) return match[2];
  }
  return undefined;
}

/** Adds `name` with a fresh random value when `.dev.vars` lacks it (e.g. the console's read-only token). */
export function ensureDevVar(path: string, name: string): string {
  const existing = readDevVar(path, name);
  if (existing) return existing;
  const value = randomBytes(24).toString('base64url');
  const text = existsSync(path) ? readFileSync(path, 'utf8') : '';
  appendFileSync(path, `${text && !text.endsWith('\n') ? '\n' : ''}${name}=${value}\n`);
  return value;
}
