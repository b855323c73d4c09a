import type { DecisionBucket } from '../../decide/decision-log.ts';
import { alignSeries, type TimeWindow } from '../time-window.ts';

/** Per arm, in the window: decisions served outside the holdout, their share, the mean propensity logged. */
export interface ArmAllocation {
  served: number;
  share: number | null;
  meanPropensity: number | null;
}

export interface ExperimentSeries {
  /** Decisions logged in the window (all, holdout and fallbacks included). */
  total: number;
  holdout: number;
  fallback: number;
  allocation: Record<string, ArmAllocation>;
  /** Per bucket: decisions, decisions with a reward, summed reward. */
  decisions: number[];
  rewarded: number[];
  rewardSum: number[];
}

/**
 * Allocation and decisions/rewards over time from the decision log's buckets (`decisionBuckets`
 * of `gateway/src/decide/decision-log.ts`), aligned to the window. A reward is charted in its
 * decision's bucket.
 * @example experimentSeries(timeWindow('1h'), ['a', 'b'], await decisionBuckets(db, site, id, since, bucketMs));
 */
export function experimentSeries(window: TimeWindow, arms: string[], buckets: readonly DecisionBucket[]): ExperimentSeries {
  const rows = buckets.filter((b) => b.bucket + window.bucketMs > window.since);
  const served = rows.filter((r) => !r.holdout);
  const servedTotal = served.reduce((a, r) => a + r.n, 0);
  const allocation: Record<string, ArmAllocation> = {};
  for (const arm of arms) {
    const mine = served.filter((r) => r.arm === arm);
    const n = mine.reduce((a, r) => a + r.n, 0);
    allocation[arm] = { served: n, share: servedTotal ? n / servedTotal : null, meanPropensity: n ? mine.reduce((a, r) => a + r.propensitySum, 0) / n : null };
  }
  const aligned = alignSeries(
    window,
    rows.flatMap((r) => [
      { bucket: r.bucket, key: 'decisions', n: r.n },
      { bucket: r.bucket, key: 'rewarded', n: r.rewarded },
      { bucket: r.bucket, key: 'rewardSum', n: r.rewardSum },
    ]),
    ['decisions', 'rewarded', 'rewardSum'],
  );
  const total = rows.reduce((a, r) => a + r.n, 0);
  return {
    total,
    holdout: total - servedTotal,
    fallback: rows.filter((r) => r.fallback).reduce((a, r) => a + r.n, 0),
    allocation,
    decisions: aligned.decisions!,
    rewarded: aligned.rewarded!,
    rewardSum: aligned.rewardSum!.map((v) => Math.round(v * 1e6) / 1e6),
  };
}
