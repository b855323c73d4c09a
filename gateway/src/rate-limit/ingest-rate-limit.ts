import type { MiddlewareHandler } from 'hono';
import { ErrorCode } from '@sluice/protocol';
import type { Env } from '../env.ts';
import { ApiError } from '../http/api-error.ts';

/**
 * The window of the rate limiting bindings (wrangler.toml `[[ratelimits]]`, `period = 10`): a
 * limited client may try again after at most this long.
 */
export const RATE_LIMIT_PERIOD_SECONDS = 10;

/**
 * Rate limits for the public ingest endpoints, after the write key and origin checks (whose site
 * lookups are cached, misses included) and before the ledger, D1 and queues: per client IP
 * (`CF-Connecting-IP`, set by Cloudflare; absent locally, then only the key limit applies) and per
 * write key (from `?key=` or `X-Sluice-Key`). Uses the Workers rate limiting binding: counted in memory per
 * Cloudflare location, no round trip to a Durable Object on the hot path. A limited request gets
 * 429 `rate_limited` with `Retry-After`; the SDK honours it.
 * @example app.use('*', ingestRateLimit())
 */
export function ingestRateLimit(): MiddlewareHandler<{ Bindings: Env }> {
  return async function ingestRateLimit(c, next) {
    if (c.req.method === 'OPTIONS') return next();
    const ip = c.req.header('cf-connecting-ip');
    const key = new URL(c.req.url).searchParams.get('key') ?? c.req.header('x-sluice-key');
    const checks: Array<Promise<RateLimitOutcome>> = [];
    if (ip && c.env.RATE_LIMIT_IP) checks.push(c.env.RATE_LIMIT_IP.limit({ key: `ip:${ip}` }));
    if (key && c.env.RATE_LIMIT_WRITE_KEY) checks.push(c.env.RATE_LIMIT_WRITE_KEY.limit({ key: `key:${key.slice(0, 128)}` }));
    // A limiter that fails must not take ingest down with it: fail open.
    const outcomes = await Promise.all(checks.map((check) => check.catch(() => ({ success: true }))));
    if (outcomes.some((o) => !o.success)) {
      throw new ApiError(429, ErrorCode.RateLimited, 'too many requests, retry later', { 'Retry-After': String(RATE_LIMIT_PERIOD_SECONDS) });
    }
    await next();
  };
}
