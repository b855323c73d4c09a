import { durationMs } from '@sluice/consent';
import type { DecisionRecord } from '@sluice/edge-models/ope';
import type { Experiment } from './experiment.ts';
import type { BanditDecision } from './experiment-bandit.ts';

/** Expired decision rows removed per write: bounded work on the hot path (as the consent audit does). */
export const DECISION_PRUNE_PER_WRITE = 200;
/** Default decision-log retention when an experiment names none. */
export const DEFAULT_DECISION_RETENTION_MS = 90 * 86_400_000;

export interface LoggedDecision extends BanditDecision {
  fallback: boolean;
}

/** One decision-log row as written to D1 (the featurized context only). */
export interface DecisionRow {
  decisionId: string;
  siteId: string;
  experimentId: string;
  at: number;
  arm: string;
  armIndex: number;
  propensity: number;
  x: number[];
  policyVersion: string;
  holdout: boolean;
  fallback: boolean;
  reason: string;
  expiresAt: number;
  reward?: number | null;
  rewardedAt?: number | null;
  lateRewards?: number;
  duplicateRewards?: number;
}

/**
 * Upserts decision rows in one D1 batch and prunes a bounded number of expired rows. A reward
 * already recorded on a row is never overwritten (first reward wins).
 */
export async function writeDecisionRows(db: D1Database, rows: readonly DecisionRow[], now: number): Promise<void> {
  const upsert = db.prepare(
    'INSERT INTO decisions (decision_id, site_id, experiment_id, at, arm, arm_index, propensity, context, policy_version, holdout, fallback, reason, expires_at, reward, rewarded_at, late_rewards, duplicate_rewards) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ' +
      // Counts are totals kept by the object, so a re-flush of the same row never adds them twice.
      'ON CONFLICT (decision_id) DO UPDATE SET reward = COALESCE(decisions.reward, excluded.reward), rewarded_at = COALESCE(decisions.rewarded_at, excluded.rewarded_at), ' +
      'late_rewards = MAX(decisions.late_rewards, excluded.late_rewards), duplicate_rewards = MAX(decisions.duplicate_rewards, excluded.duplicate_rewards)',
  );
  await db.batch([
    db.prepare('DELETE FROM decisions WHERE decision_id IN (SELECT decision_id FROM decisions WHERE expires_at < ? LIMIT ?)').bind(now, DECISION_PRUNE_PER_WRITE),
    ...rows.map((d) =>
      upsert.bind(d.decisionId, d.siteId, d.experimentId, d.at, d.arm, d.armIndex, d.propensity, JSON.stringify(d.x), d.policyVersion, d.holdout ? 1 : 0, d.fallback ? 1 : 0, d.reason, d.expiresAt, d.reward ?? null, d.rewardedAt ?? null, d.lateRewards ?? 0, d.duplicateRewards ?? 0),
    ),
  ]);
}

/** Logs a decision the Durable Object did not make (the time-budget fallback) straight to D1. */
export async function logFallback(db: D1Database, siteId: string, experimentId: string, experiment: Experiment, d: LoggedDecision, now: number): Promise<void> {
  const expiresAt = now + (durationMs(experiment.retention) ?? DEFAULT_DECISION_RETENTION_MS);
  await writeDecisionRows(db, [{ ...d, siteId, experimentId, at: now, expiresAt }], now);
}

interface StoredRow {
  decision_id: string;
  at: number;
  arm: string;
  arm_index: number;
  propensity: number;
  context: string;
  policy_version: string;
  holdout: number;
  fallback: number;
  reward: number | null;
}

/** Reads decision rows in time order as export records. */
export async function readDecisions(db: D1Database, siteId: string, experimentId: string, since: number, limit: number): Promise<DecisionRecord[]> {
  const { results } = await db
    .prepare('SELECT decision_id, at, arm, arm_index, propensity, context, policy_version, holdout, fallback, reward FROM decisions WHERE site_id = ? AND experiment_id = ? AND at >= ? ORDER BY at, decision_id LIMIT ?')
    .bind(siteId, experimentId, since, limit)
    .all<StoredRow>();
  return results.map((r) => ({
    decisionId: r.decision_id,
    at: r.at,
    arm: r.arm,
    armIndex: r.arm_index,
    propensity: r.propensity,
    x: JSON.parse(r.context),
    reward: r.reward,
    policyVersion: r.policy_version,
    holdout: r.holdout === 1,
    fallback: r.fallback === 1,
  }));
}

export type LogRewardStatus = 'recorded' | 'duplicate' | 'late' | 'unknown';

/**
 * Records a reward on the logged decision: the first one inside the window wins; later ones are
 * counted on the row as duplicates or late.
 */
export async function logReward(db: D1Database, siteId: string, decisionId: string, reward: number, windowMs: number, now: number): Promise<LogRewardStatus> {
  const set = await db
    .prepare('UPDATE decisions SET reward = ?, rewarded_at = ? WHERE decision_id = ? AND site_id = ? AND reward IS NULL AND at >= ?')
    .bind(reward, now, decisionId, siteId, now - windowMs)
    .run();
  if (set.meta.changes > 0) return 'recorded';
  const row = await db.prepare('SELECT reward FROM decisions WHERE decision_id = ? AND site_id = ?').bind(decisionId, siteId).first<{ reward: number | null }>();
  if (!row) return 'unknown';
  const status = row.reward === null ? 'late' : 'duplicate';
  await db.prepare(`UPDATE decisions SET ${status}_rewards = ${status}_rewards + 1 WHERE decision_id = ? AND site_id = ?`).bind(decisionId, siteId).run();
  return status;
}

/** Logged decisions of one bucket, arm and group (holdout / fallback), summed in D1. */
export interface DecisionBucket {
  bucket: number;
  arm: string;
  holdout: boolean;
  fallback: boolean;
  n: number;
  rewarded: number;
  rewardSum: number;
  propensitySum: number;
}

/**
 * Decisions since `since` grouped by time bucket (`bucketMs`), arm, holdout and fallback, with how
 * many were rewarded, the summed reward and the summed propensity (for the console's allocation and
 * time series: aggregated in D1, so a busy experiment is summed, never truncated).
 * @example await decisionBuckets(env.DB, 'demo', 'hero', Date.now() - 3_600_000, 60_000);
 */
export async function decisionBuckets(db: D1Database, siteId: string, experimentId: string, since: number, bucketMs: number): Promise<DecisionBucket[]> {
  const { results } = await db
    .prepare(
      'SELECT (at / CAST(? AS INTEGER)) * CAST(? AS INTEGER) AS bucket, arm, holdout, fallback, COUNT(*) AS n, SUM(CASE WHEN reward IS NOT NULL THEN 1 ELSE 0 END) AS rewarded, COALESCE(SUM(reward), 0) AS rewardSum, SUM(propensity) AS propensitySum FROM decisions WHERE site_id = ? AND experiment_id = ? AND at >= ? GROUP BY bucket, arm, holdout, fallback LIMIT 20000',
    )
    .bind(bucketMs, bucketMs, siteId, experimentId, since)
    .all<{ bucket: number; arm: string; holdout: number; fallback: number; n: number; rewarded: number; rewardSum: number; propensitySum: number }>();
  return results.map((r) => ({ ...r, holdout: r.holdout === 1, fallback: r.fallback === 1 }));
}
