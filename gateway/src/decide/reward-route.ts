import { Hono } from 'hono';
import { z } from 'zod';
import { ErrorCode } from '@sluice/protocol';
import type { Env } from '../env.ts';
import { ApiError } from '../http/api-error.ts';
import { siteOriginGuard, type SiteVariables } from '../http/site-origin-guard.ts';
import { applyReward } from './apply-reward.ts';
import { readSmallJson, unavailable } from './read-small-json.ts';

const RewardRequest = z.strictObject({
  decisionId: z.string().min(1).max(128),
  reward: z.number().finite().min(-1e9).max(1e9),
});

/**
 * `POST /v1/reward {decisionId, reward}`: idempotent. 200 with the status — `applied` (learned),
 * `recorded` (logged; paused experiment or holdout), `duplicate`, `late` (after the window:
 * ignored and counted), `ignored`; 404 for a decision id the gateway never made.
 */
export const rewardRoute = new Hono<{ Bindings: Env; Variables: SiteVariables }>()
  .use('*', siteOriginGuard())
  .post('/', async (c) => {
    const request = RewardRequest.safeParse(await readSmallJson(c.req.raw));
    if (!request.success) {
      const issue = request.error.issues[0]!;
      throw new ApiError(422, ErrorCode.InvalidEvent, `${issue.path.join('.') || '(root)'}: ${issue.message}`);
    }
    const { decisionId, reward } = request.data;
    const result = await applyReward(c.env, c.get('site').id, decisionId, { kind: 'explicit', reward }, Date.now()).catch(unavailable);
    if (result.status === 'unknown') throw new ApiError(404, ErrorCode.NotFound, 'no such decision');
    return c.json(result, 200);
  });
