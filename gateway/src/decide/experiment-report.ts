import { armSummaries, cryptoRng, type ArmSummary } from '@sluice/edge-models/bandits';
import type { Env } from '../env.ts';
import { banditSnapshot } from './bandit-stub.ts';
import { toPolicy } from './experiment.ts';
import { incrementality, type GroupTotals, type Incrementality } from './incrementality.ts';
import type { LiveExperiment } from './live-experiment.ts';
import type { RewardStatus } from './experiment-bandit.ts';

/** `GET …/experiments/:id/report`: lift over the holdout, each arm's posterior with its 95 % interval, reward counters. */
export interface ExperimentReport {
  policyVersion: string | null;
  status: 'running' | 'paused' | 'stopped';
  incrementality: Incrementality;
  arms: Array<Omit<ArmSummary, 'arm'> & { arm: string }>;
  rewards: Record<RewardStatus, number> | null;
}

/**
 * The report of one live experiment, from the decision log (D1) and the object's learned state.
 * Callers flush the object's outbox first when the last second matters (the admin route does).
 * @example const report = await experimentReport(env, 'demo', live);
 */
export async function experimentReport(env: Env, siteId: string, live: LiveExperiment): Promise<ExperimentReport> {
  const { results } = await env.DB.prepare(
    'SELECT holdout, COUNT(*) AS n, SUM(CASE WHEN reward > 0 THEN 1 ELSE 0 END) AS conversions, SUM(COALESCE(reward, 0)) AS valueSum, SUM(COALESCE(reward, 0) * COALESCE(reward, 0)) AS valueSquares FROM decisions WHERE site_id = ? AND experiment_id = ? GROUP BY holdout',
  )
    .bind(siteId, live.id)
    .all<GroupTotals & { holdout: number }>();
  const empty: GroupTotals = { n: 0, conversions: 0, valueSum: 0, valueSquares: 0 };
  const group = (h: number) => results.find((r) => r.holdout === h) ?? empty;
  const snapshot = await banditSnapshot(env, siteId, live.id);
  const policy = toPolicy(live.experiment);
  const bias = [1, ...new Array<number>(policy.config.dimension - 1).fill(0)];
  const arms = snapshot ? armSummaries(policy.config, snapshot.state, bias, cryptoRng()).map((s) => ({ ...s, arm: live.experiment.arms[s.arm]!.id })) : [];
  return {
    policyVersion: snapshot?.policyVersion ?? null,
    status: live.experiment.status,
    incrementality: incrementality(group(0), group(1)),
    arms,
    rewards: snapshot?.counters ?? null,
  };
}
