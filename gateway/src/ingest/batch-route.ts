import { Hono } from 'hono';
import { ErrorCode, type BatchResult } from '@sluice/protocol';
import type { Env } from '../env.ts';
import { ApiError } from '../http/api-error.ts';
import { siteOriginGuard, type SiteVariables } from '../http/site-origin-guard.ts';
import { claimEventIds, releaseEventIds } from '../dedup/claim-event-ids.ts';
import { minimizeFacts, scrubEventUrls } from '../minimize/index.ts';
import { applyTrackingPlan } from '../plan/apply-tracking-plan.ts';
import { dropSuppressed, indexSubjects } from '../rights/index.ts';
import { enqueueDeliveries } from './enqueue-deliveries.ts';
import { parseBatch } from './parse-batch.ts';
import { readBody } from './read-body.ts';
import { requestFacts } from './request-facts.ts';
import { consentPlanner } from '../consent/consent-planner.ts';
import { applyVisitorCookie } from '../visitor-cookie/visitor-cookie.ts';
import { recordClientDrops } from './client-drops.ts';
import { countAggregates } from '../reports/count-aggregates.ts';
import { joinConversionRewards } from '../decide/join-conversion-rewards.ts';
import { firstOfEachId } from './first-of-each-id.ts';
import { storage } from './storage-unavailable.ts';
import { ingestRateLimit } from '../rate-limit/ingest-rate-limit.ts';

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
    const now = Date.now();
    // The site's minimization and tracking plan (plan/): reject, strip or quarantine per event, before anything is stored.
    const { events, rejected, minimization } = await applyTrackingPlan(c.env, site, parsed, c.req.raw, now);
    // Personal data in page URLs and referrers goes before anything else sees the events, policy or not.
    const scrubbed = scrubEventUrls(firstOfEachId(events.map((e) => e.event)));
    const visitor = applyVisitorCookie(c.req.raw, scrubbed);
    if (visitor.setCookie) c.header('Set-Cookie', visitor.setCookie);
    // Events of people who asked to be forgotten go no further (rights/); the response does not single them out.
    const { kept: valid } = await storage('d1', () => dropSuppressed(c.env.DB, site.id, scrubbed, now));
    const planner = await storage('kv', () => consentPlanner(c.env, site, c.req.raw));
    const fresh = await storage('event-id-ledger', () => claimEventIds(c.env, site.id, valid.map((e) => e.eventId)));
    const accepted = valid.filter((event) => fresh.has(event.eventId));
    try {
      // Which event ids carried which (hashed) identifier, so a deletion finds them in every store (rights/).
      await storage('d1', () => indexSubjects(c.env.DB, site.id, accepted, now));
      await enqueueDeliveries(c.env, site, accepted, minimizeFacts(requestFacts(c.req.raw, c.env.GEO_OVERRIDE), minimization), planner);
    } catch (error) {
      // Nothing was accepted: give the ids back so the client's retry is not taken for a repeat
      // (a part that did reach a queue is caught by the consumer's per-destination delivered ledger).
      await releaseEventIds(c.env, site.id, [...fresh]).catch(() => undefined);
      throw error;
    }
    // Hooks that follow an accepted batch: one call each, after the enqueue, off the response path.
    c.executionCtx.waitUntil(countAggregates(c.env, site, accepted, c.req.raw));
    c.executionCtx.waitUntil(joinConversionRewards(c.env, site.id, accepted));

    const result: BatchResult = { accepted: accepted.length, duplicates: events.length - accepted.length, rejected };
    if (visitor.anonymousId) result.anonymousId = visitor.anonymousId;
    if (events.length === 0) {
      return c.json({ error: { code: ErrorCode.InvalidEvent, message: 'no valid event in batch' }, ...result }, 422);
    }
    return c.json(result, 200);
  });
