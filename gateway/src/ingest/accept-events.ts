import type { Context } from 'hono';
import { ErrorCode, type BatchResult, type Event, type EventRejection } from '@sluice/protocol';
import type { Env } from '../env.ts';
import type { SiteVariables } from '../http/site-origin-guard.ts';
import type { SiteConfig } from '../site-config/site-config.ts';
import { admitEvents, releaseEventIds } from '../dedup/claim-event-ids.ts';
import { minimizeFacts, scrubEventUrls } from '../minimize/index.ts';
import { applyTrackingPlan, planStatements } from '../plan/apply-tracking-plan.ts';
import { subjectIndexStatements, suppressedCountStatements } from '../rights/index.ts';
import { countAggregates } from '../reports/count-aggregates.ts';
import { joinConversionRewards } from '../decide/join-conversion-rewards.ts';
import { consentPlanner } from '../consent/consent-planner.ts';
import { applyVisitorCookie } from '../visitor-cookie/visitor-cookie.ts';
import { ingestCounterStatements } from '../observability/ingest-metrics.ts';
import { formatTraceparent, type TraceContext } from '../observability/traceparent.ts';
import { enqueueDeliveries } from './enqueue-deliveries.ts';
import { requestFacts } from './request-facts.ts';
import { firstOfEachId } from './first-of-each-id.ts';
import { storage } from './storage-unavailable.ts';
import { takeRelayedFacts, withRelayedFacts } from '../sources/relayed/index.ts';

/** Events that passed validation (with their index in the request) and the ones that did not. */
export interface ParsedEvents {
  events: { index: number; event: Event }[];
  rejected: EventRejection[];
}

/** What ingest made of a request's events; `status` is 422 when none was valid. */
export interface AcceptedEvents {
  result: BatchResult;
  status: 200 | 422;
}

/**
 * The one ingest path every source goes through once its events are in Sluice's model (the SDK's
 * `/v1/batch`, the Segment-compatible routes in `sources/`): URLs scrubbed → visitor cookie →
 * tracking plan and minimization → authoritative consent → suppression list and event ids in one ledger call (repeats dropped) → minimized, hashed and queued per
 * destination → post-accept hooks. Only our own storage failing throws 503.
 * @example const { result, status } = await acceptEvents(c, site, parsed); return c.json(result, status);
 */
export async function acceptEvents(c: Context<{ Bindings: Env; Variables: SiteVariables }>, site: SiteConfig, received: ParsedEvents): Promise<AcceptedEvents> {
  const now = Date.now();
  // A server source's relayed end-user IP and location leave the events before anything sees or stores them (sources/relayed/).
  const parsed = takeRelayedFacts(c.req.raw, received);
  // The site's minimization and tracking plan (plan/): reject, strip or quarantine per event, before anything is stored.
  const planned = await applyTrackingPlan(c.env, site, parsed, c.req.raw, now);
  const { events, rejected, minimization } = planned;
  // Personal data in page URLs and referrers goes before anything else sees the events, policy or not.
  const scrubbed = scrubEventUrls(firstOfEachId(events.map((e) => e.event)), minimization.url);
  const visitor = applyVisitorCookie(c.req.raw, scrubbed);
  if (visitor.setCookie) c.header('Set-Cookie', visitor.setCookie);
  // Events of people who asked to be forgotten go no further, not even into quarantine (rights/):
  // one read for the whole batch; the response does not single them out.
  // The suppression list lives with the event-id ledger (one Durable Object per site, strongly
  // consistent): the check and the claim are one call, no D1 read (issue 14).
  const quarantined = planned.quarantine.map((q) => q.original);
  const planner = await storage('kv', () => consentPlanner(c.env, site, c.req.raw));
  // The request's facts and identity memo, shared by the subject keys (ledger, subject index) and
  // the destinations: each email and phone read and hashed once per request.
  const requested = requestFacts(c.req.raw, c.env.GEO_OVERRIDE);
  const { suppressed, fresh } = await storage('event-id-ledger', () => admitEvents(c.env, site.id, scrubbed, quarantined, requested.hashes));
  const accepted = scrubbed.filter((event) => fresh.has(event.eventId));
  const result: BatchResult = { accepted: accepted.length, duplicates: events.length - accepted.length, rejected };
  if (visitor.anonymousId) result.anonymousId = visitor.anonymousId;
  const status = events.length === 0 ? 422 : 200;
  const metrics = ingestCounterStatements(c.req.raw, c.env.DB, site.id, status, result, now);
  try {
    // Every D1 write of the request goes in the one batch the deliveries commit (issue 14): the plan's
    // observations, counts and quarantine, the suppression count, and which event ids carried which
    // (hashed) identifier, so a deletion finds them in every store (rights/).
    const alongside = [
      ...(await planStatements(c.env.DB, site.id, planned, suppressed, now)),
      ...suppressedCountStatements(c.env.DB, site.id, suppressed.size, now),
      ...(await subjectIndexStatements(c.env.DB, site.id, accepted, now)),
      // The answer's metric counters (observability/), when the route counts them.
      ...metrics.statements,
    ];
    // The request's span (observeRequests) rides on the queued messages: the vendor POSTs continue its trace.
    const trace = (c.var as { trace?: TraceContext }).trace;
    const facts = { ...requested, urlRules: minimization.url, ...(trace && { traceparent: formatTraceparent(trace) }) };
    // Server sources: per event, the end user's relayed facts (minimized the same way), never the server's own.
    const relayed = withRelayedFacts(c.req.raw, minimizeFacts(facts, minimization), (f) => minimizeFacts(f, minimization));
    await enqueueDeliveries(c.env, site, accepted, relayed, planner, alongside);
    metrics.counted();
  } catch (error) {
    // Nothing was accepted: give the ids back so the client's retry is not taken for a repeat
    // (a part that did reach a queue is caught by the consumer's per-destination delivered ledger).
    await releaseEventIds(c.env, site.id, [...fresh]).catch(() => undefined);
    throw error;
  }
  // Hooks that follow an accepted batch: one call each, after the enqueue, off the response path.
  c.executionCtx.waitUntil(countAggregates(c.env, site, accepted, c.req.raw));
  c.executionCtx.waitUntil(joinConversionRewards(c.env, site.id, accepted));

  return { result, status };
}

/** The 422 body when no event of a request was valid: the error plus the per-event rejections. */
export function noValidEvent(result: BatchResult) {
  return { error: { code: ErrorCode.InvalidEvent, message: 'no valid event in batch' }, ...result };
}
