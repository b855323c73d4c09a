import { Hono } from 'hono';
import { z } from 'zod';
import { ErrorCode } from '@sluice/protocol';
import type { Env } from '../env.ts';
import { ApiError } from '../http/api-error.ts';
import { siteOriginGuard, type SiteVariables } from '../http/site-origin-guard.ts';
import { readVisitorCookie } from '../visitor-cookie/visitor-cookie.ts';
import { banditStub } from './bandit-stub.ts';
import { logFallback, type LoggedDecision } from './decision-log.ts';
import type { DecideOutcome } from './experiment-bandit.ts';
import { ExperimentId } from './experiment.ts';
import { loadExperiment, type LiveExperiment } from './live-experiment.ts';
import { readSmallJson, unavailable } from './read-small-json.ts';
import { visitorKey } from './visitor-key.ts';

const DecideRequest = z.strictObject({
  experiment: ExperimentId,
  context: z.union([z.record(z.string().max(64), z.union([z.string().max(128), z.number()])), z.array(z.number()).max(64)]).optional(),
  /** The SDK's anonymous id when the page has one; the gateway's own visitor cookie otherwise. */
  visitorId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/).optional(),
});

/** What the page gets: the arm, its payload, and what to send back with rewards. */
export interface DecideResponse {
  arm: string;
  payload: unknown;
  propensity: number;
  decisionId: string;
  policyVersion: string;
}

/**
 * `POST /v1/decide {experiment, context}`: the experiment's Durable Object decides within the
 * experiment's time budget; past it (or if the object fails) the default arm is served with
 * propensity 1 and logged as a fallback, so off-policy evaluation never sees a made-up propensity.
 */
export const decideRoute = new Hono<{ Bindings: Env; Variables: SiteVariables }>()
  .use('*', siteOriginGuard())
  .post('/', async (c) => {
    const site = c.get('site');
    const request = DecideRequest.safeParse(await readSmallJson(c.req.raw));
    if (!request.success) {
      const issue = request.error.issues[0]!;
      throw new ApiError(422, ErrorCode.InvalidEvent, `${issue.path.join('.') || '(root)'}: ${issue.message}`);
    }
    const { experiment: experimentId, context } = request.data;
    const live = await loadExperiment(c.env.CONFIG, site.id, experimentId).catch(unavailable);
    if (!live) throw new ApiError(404, ErrorCode.NotFound, `no experiment "${experimentId}"`);
    const visitorId = request.data.visitorId ?? readVisitorCookie(c.req.raw);
    const visitor = visitorId ? await visitorKey(site.id, visitorId) : null;
    const now = Date.now();
    const decisionId = `${experimentId}.${crypto.randomUUID()}`;
    const stub = banditStub(c.env, site.id, experimentId);
    const outcome = await withinBudget(stub.decide({ decisionId, context, visitor, experimentId, now }), live.experiment.budgetMs);
    if (outcome && !outcome.ok && outcome.code === 'invalid_context') throw new ApiError(422, ErrorCode.InvalidEvent, `context: ${outcome.message}`);
    // A fallback gets an id of its own, so no reward for it can ever reach a late decision the
    // object may still make under the first id (which it is told to forget).
    const decision: LoggedDecision = outcome?.ok ? { ...outcome.decision, fallback: false } : fallbackDecision(live, `${experimentId}.${crypto.randomUUID()}`);
    // The object queues its own decisions for the D1 log (batched); only a fallback is logged from here.
    if (decision.fallback) {
      c.executionCtx.waitUntil(stub.voidDecision(decisionId).catch(() => undefined));
      c.executionCtx.waitUntil(logFallback(c.env.DB, site.id, experimentId, live.experiment, decision, now).catch(() => console.error('decision log write failed')));
    }
    const body: DecideResponse = { arm: decision.arm, payload: decision.payload, propensity: decision.propensity, decisionId: decision.decisionId, policyVersion: decision.policyVersion };
    return c.json(body, 200, { 'Cache-Control': 'no-store' });
  });

/** The object's answer, or null when it did not come within `budgetMs` or failed. */
async function withinBudget(call: Promise<DecideOutcome>, budgetMs: number): Promise<DecideOutcome | null> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), budgetMs)));
  try {
    return await Promise.race([call.catch(() => null), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The default arm, deterministically: propensity 1 is the honest probability of what was served. */
function fallbackDecision(live: LiveExperiment, decisionId: string): LoggedDecision {
  const e = live.experiment;
  const armIndex = e.arms.findIndex((a) => a.id === e.defaultArm);
  const arm = e.arms[armIndex]!;
  return {
    decisionId,
    armIndex,
    arm: arm.id,
    payload: arm.payload ?? null,
    propensity: 1,
    policyVersion: `${live.version}.fallback`,
    x: [],
    holdout: false,
    reason: 'fallback',
    fallback: true,
  };
}
