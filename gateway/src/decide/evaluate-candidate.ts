import { z } from 'zod';
import { ErrorCode } from '@sluice/protocol';
import { cryptoRng } from '@sluice/edge-models/bandits';
import { candidateActionDist, evaluatePolicy, feedbackFromRecords, type Candidate, type OpeReport } from '@sluice/edge-models/ope';
import type { Env } from '../env.ts';
import { ApiError } from '../http/api-error.ts';
import { banditSnapshot } from './bandit-stub.ts';
import { readDecisions } from './decision-log.ts';
import { Experiment, ExperimentId, toPolicy } from './experiment.ts';
import type { LiveExperiment } from './live-experiment.ts';

/** Most logged decisions one OPE request reads. */
export const OPE_MAX_ROWS = 50_000;

/** `POST …/experiments/:id/ope` body: the candidate policy, from when, how many bootstrap resamples. */
export const OpeRequest = z.strictObject({
  candidate: z.discriminatedUnion('type', [
    z.strictObject({ type: z.literal('fixed'), weights: z.record(ExperimentId, z.number().nonnegative()) }),
    z.strictObject({ type: z.literal('live'), greedy: z.boolean().optional() }),
    z.strictObject({ type: z.literal('model'), algorithm: z.unknown(), greedy: z.boolean().optional() }),
  ]),
  since: z.number().int().nonnegative().optional(),
  bootstrap: z.number().int().min(10).max(1000).optional(),
});
export type OpeRequest = z.infer<typeof OpeRequest>;

/**
 * Off-policy value of a candidate (IPS, SNIPS, DR with bootstrap 95 % intervals) from the logged
 * decisions, next to the logged policy's mean reward. Throws `ApiError` 404/422 when the
 * candidate cannot be evaluated (no model, no decisions, all-zero weights, an invalid algorithm).
 * @example await evaluateCandidate(env, 'demo', live, { candidate: { type: 'fixed', weights: { sale: 1 } } });
 */
export async function evaluateCandidate(env: Env, siteId: string, live: LiveExperiment, request: OpeRequest): Promise<OpeReport & { loggedValue: number }> {
  const e = live.experiment;
  const { data } = feedbackFromRecords(await readDecisions(env.DB, siteId, live.id, request.since ?? 0, OPE_MAX_ROWS));
  if (data.action.length === 0) throw new ApiError(422, ErrorCode.InvalidEvent, 'no logged policy decisions to evaluate from');
  const c0 = request.candidate;
  let candidate: Candidate;
  if (c0.type === 'fixed') candidate = { type: 'fixed', probabilities: e.arms.map((a) => c0.weights[a.id] ?? 0) };
  else if (c0.type === 'live') {
    const snapshot = await banditSnapshot(env, siteId, live.id);
    if (!snapshot) throw new ApiError(404, ErrorCode.NotFound, 'experiment has no live model');
    candidate = { type: 'model', config: toPolicy(e).config, state: snapshot.state, greedy: c0.greedy };
  } else {
    const parsed = Experiment.safeParse({ ...e, algorithm: c0.algorithm });
    if (!parsed.success) {
      const first = parsed.error.issues[0]!;
      throw new ApiError(422, ErrorCode.InvalidPolicy, `${first.path.map(String).join('.') || '(root)'}: ${first.message}`);
    }
    candidate = { type: 'model', config: toPolicy(parsed.data).config, greedy: c0.greedy };
  }
  if (candidate.type === 'fixed' && candidate.probabilities.every((p) => p === 0)) throw new ApiError(422, ErrorCode.InvalidEvent, 'candidate.weights: give at least one arm a positive weight');
  const report = evaluatePolicy(data, candidateActionDist(candidate, data), { arms: e.arms.length, rng: cryptoRng(), bootstrap: request.bootstrap });
  return { loggedValue: data.reward.reduce((a, b) => a + b, 0) / data.reward.length, ...report };
}
