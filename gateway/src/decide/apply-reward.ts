import type { Env } from '../env.ts';
import { banditStub } from './bandit-stub.ts';
import { logReward } from './decision-log.ts';
import { durationMs } from '@sluice/consent';
import { loadExperiment } from './live-experiment.ts';
import { experimentOfDecision, rewardFor, type RewardSignal } from './reward-for.ts';
import type { RewardStatus } from './experiment-bandit.ts';

export interface AppliedReward {
  status: RewardStatus;
  policyVersion?: string;
}

/**
 * Routes a reward to its decision: the experiment's Durable Object learns from it (once, inside
 * the window), and the decision log records it. Decisions the object did not make (holdout,
 * stopped, fallback) are recorded in the log only, which is what incrementality needs.
 */
export async function applyReward(env: Env, siteId: string, decisionId: string, signal: RewardSignal, now: number): Promise<AppliedReward> {
  const experimentId = experimentOfDecision(decisionId);
  if (!experimentId) return { status: 'unknown' };
  const live = await loadExperiment(env.CONFIG, siteId, experimentId);
  if (!live) return { status: 'unknown' };
  const windowMs = durationMs(live.experiment.reward.window) ?? 7 * 86_400_000;
  const out = await banditStub(env, siteId, experimentId).reward({ decisionId, signal, now });
  if (out.status === 'ignored') return { status: 'ignored' };
  if (out.status !== 'unknown') {
    await logReward(env.DB, siteId, decisionId, out.reward!, windowMs, now);
    return out.policyVersion ? { status: out.status, policyVersion: out.policyVersion } : { status: out.status };
  }
  const row = await env.DB.prepare('SELECT arm FROM decisions WHERE decision_id = ? AND site_id = ?').bind(decisionId, siteId).first<{ arm: string }>();
  if (!row) return { status: 'unknown' };
  const reward = rewardFor(live.experiment, row.arm, signal);
  if (reward === null) return { status: 'ignored' };
  return { status: await logReward(env.DB, siteId, decisionId, reward, windowMs, now) };
}
