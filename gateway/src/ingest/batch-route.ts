import { Hono } from 'hono';
import { ErrorCode } from '@sluice/protocol';
import type { Env } from '../env.ts';
import { ApiError } from '../http/api-error.ts';
import { siteOriginGuard, type SiteVariables } from '../http/site-origin-guard.ts';
import { parseBatch } from './parse-batch.ts';
import { readBody } from './read-body.ts';
import { recordClientDrops } from './client-drops.ts';
import { ingestRateLimit } from '../rate-limit/ingest-rate-limit.ts';
import { acceptEvents, noValidEvent } from './accept-events.ts';

/** `text/plain` is what `sendBeacon` sends and needs no preflight; JSON is accepted too. */
const ACCEPTED_TYPES = ['application/json', 'text/plain'];

/**
 * `POST /v1/batch`: auth → origin → size → validate → dedup → minimize, hash and queue per destination.
 * Only our own storage failing answers 503 (`storage(...)`, logged with its cause); client input
 * answers 4xx.
 */
export const batchRoute = new Hono<{ Bindings: Env; Variables: SiteVariables }>()
  .use('*', siteOriginGuard())
  // After the guard: a limited browser still gets its CORS grant, so it can read Retry-After.
  .use('*', ingestRateLimit())
  .post('/', async (c) => {
    const site = c.get('site');
    const type = (c.req.header('content-type') ?? 'text/plain').split(';')[0]!.trim().toLowerCase();
    if (!ACCEPTED_TYPES.includes(type)) {
      throw new ApiError(415, ErrorCode.UnsupportedMediaType, 'send application/json or text/plain');
    }
    const parsed = parseBatch(await readBody(c.req.raw));
    if (parsed.clientDropped > 0) c.executionCtx.waitUntil(recordClientDrops(c.env.DB, site.id, parsed.clientDropped));
    const { result, status } = await acceptEvents(c, site, parsed);
    return status === 422 ? c.json(noValidEvent(result), 422) : c.json(result, 200);
  });
