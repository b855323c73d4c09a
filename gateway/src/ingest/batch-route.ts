import { Hono } from 'hono';
import { ErrorCode, type BatchResult } from '@sluice/protocol';
import type { Env } from '../env.ts';
import { ApiError } from '../http/api-error.ts';
import { siteOriginGuard, type SiteVariables } from '../http/site-origin-guard.ts';
import { claimEventIds, releaseEventIds } from '../dedup/claim-event-ids.ts';
import { enqueueDeliveries } from './enqueue-deliveries.ts';
import { parseBatch } from './parse-batch.ts';
import { readBody } from './read-body.ts';
import { requestFacts } from './request-facts.ts';
import { consentPlanner } from '../consent/consent-planner.ts';
import { applyVisitorCookie } from '../visitor-cookie/visitor-cookie.ts';
import { recordClientDrops } from './client-drops.ts';
import { countAggregates } from '../reports/count-aggregates.ts';
import { joinConversionRewards } from '../decide/join-conversion-rewards.ts';

/** `text/plain` is what `sendBeacon` sends and needs no preflight; JSON is accepted too. */
const ACCEPTED_TYPES = ['application/json', 'text/plain'];

/** `POST /v1/batch`: auth → origin → size → validate → dedup → hash and queue per destination. */
export const batchRoute = new Hono<{ Bindings: Env; Variables: SiteVariables }>()
  .use('*', siteOriginGuard())
  .post('/', async (c) => {
    const site = c.get('site');
    const type = (c.req.header('content-type') ?? 'text/plain').split(';')[0]!.trim().toLowerCase();
    if (!ACCEPTED_TYPES.includes(type)) {
      throw new ApiError(415, ErrorCode.UnsupportedMediaType, 'send application/json or text/plain');
    }
    const { events, rejected, clientDropped } = parseBatch(await readBody(c.req.raw));
    if (clientDropped > 0) c.executionCtx.waitUntil(recordClientDrops(c.env.DB, site.id, clientDropped));
    const visitor = applyVisitorCookie(c.req.raw, events.map((e) => e.event));
    if (visitor.setCookie) c.header('Set-Cookie', visitor.setCookie);
    const planner = await consentPlanner(c.env, site, c.req.raw).catch(unavailable);
    const fresh = await claimEventIds(c.env, site.id, events.map((e) => e.event.eventId)).catch(unavailable);
    const accepted = events.map((e) => e.event).filter((event) => fresh.has(event.eventId));
    await enqueueDeliveries(c.env, site, accepted, requestFacts(c.req.raw, c.env.GEO_OVERRIDE), planner).catch(async () => {
      await releaseEventIds(c.env, site.id, [...fresh]).catch(() => undefined);
      unavailable();
    });
    c.executionCtx.waitUntil(countAggregates(c.env, site, accepted, c.req.raw));
    c.executionCtx.waitUntil(joinConversionRewards(c.env, site.id, accepted));
    const result: BatchResult = { accepted: accepted.length, duplicates: events.length - accepted.length, rejected };
    if (visitor.anonymousId) result.anonymousId = visitor.anonymousId;
    if (events.length === 0) {
      return c.json({ error: { code: ErrorCode.InvalidEvent, message: 'no valid event in batch' }, ...result }, 422);
    }
    return c.json(result, 200);
  });

/** Our own storage failing is not the client's fault: 503 and a retry hint, never 500. */
function unavailable(): never {
  throw new ApiError(503, ErrorCode.Unavailable, 'temporarily unavailable, retry later', { 'Retry-After': '5' });
}
