import { Hono } from 'hono';
import { ErrorCode } from '@sluice/protocol';
import type { Env } from '../env.ts';
import { ApiError } from '../http/api-error.ts';
import { secretsEqual } from '../admin/admin-token.ts';
import { METRIC_FAMILIES } from './metric-families.ts';
import { formatPrometheus } from './prometheus-text.ts';

/** Tokens that may scrape, in order: a dedicated `METRICS_TOKEN`, the read-only admin token, the admin token. */
export const METRICS_TOKEN_NAMES = ['METRICS_TOKEN', 'ADMIN_READONLY_TOKEN', 'ADMIN_TOKEN'] as const;

/** True when `given` equals one of the configured scrape tokens (each compared in constant time). */
export async function isScrapeToken(env: Env, given: string): Promise<boolean> {
  let ok = false;
  for (const name of METRICS_TOKEN_NAMES) {
    const expected = env[name];
    // Every configured token is compared, so timing does not tell which one matched.
    if (typeof expected === 'string' && expected && (await secretsEqual(given, expected))) ok = true;
  }
  return ok;
}

/**
 * `GET /metrics`: Prometheus text format 0.0.4, `Authorization: Bearer <METRICS_TOKEN>` (or the
 * read-only / admin token). A storage failure answers 503: a scrape must not show zeros it did not read.
 */
export const metricsRoute = new Hono<{ Bindings: Env }>().get('/', async (c) => {
  const header = c.req.header('authorization') ?? '';
  const given = header.startsWith('Bearer ') ? header.slice('Bearer '.length) : '';
  if (!given || !(await isScrapeToken(c.env, given))) {
    throw new ApiError(401, ErrorCode.Unauthorized, 'metrics token missing or wrong', { 'WWW-Authenticate': 'Bearer' });
  }
  const families = await Promise.all(METRIC_FAMILIES.map(async (f) => ({ name: f.name, help: f.help, type: f.type, samples: await f.collect(c.env) }))).catch(() => {
    throw new ApiError(503, ErrorCode.Unavailable, 'metrics storage unavailable', { 'Retry-After': '5' });
  });
  return c.text(formatPrometheus(families), 200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8', 'cache-control': 'no-store' });
});
