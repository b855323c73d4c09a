import type { DecisionRecord } from '@sluice/edge-models/ope';
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
 * Allocation and decisions/rewards over time from decision-log records (`readDecisions` of
 * `gateway/src/decide/decision-log.ts`) that fall in the window. A reward is charted in its
 * decision's bucket.
 */
export function experimentSeries(window: TimeWindow, arms: string[], records: readonly DecisionRecord[]): ExperimentSeries {
  const bucket = (at: number) => Math.floor(at / window.bucketMs) * window.bucketMs;
  const rows = records.filter((r) => r.at >= window.since);
  const served = rows.filter((r) => !r.holdout);
  const allocation: Record<string, ArmAllocation> = {};
  for (const arm of arms) {
    const mine = served.filter((r) => r.arm === arm);
    allocation[arm] = {
      served: mine.length,
      share: served.length ? mine.length / served.length : null,
      meanPropensity: mine.length ? mine.reduce((a, r) => a + r.propensity, 0) / mine.length : null,
    };
  }
  const aligned = alignSeries(
    window,
    rows.flatMap((r) => [
      { bucket: bucket(r.at), key: 'decisions', n: 1 },
      ...(r.reward !== null && r.reward !== undefined ? [{ bucket: bucket(r.at), key: 'rewarded', n: 1 }, { bucket: bucket(r.at), key: 'rewardSum', n: r.reward }] : []),
    ]),
    ['decisions', 'rewarded', 'rewardSum'],
  );
  return {
    total: rows.length,
    holdout: rows.length - served.length,
    fallback: rows.filter((r) => r.fallback).length,
    allocation,
    decisions: aligned.decisions!,
    rewarded: aligned.rewarded!,
    rewardSum: aligned.rewardSum!.map((v) => Math.round(v * 1e6) / 1e6),
  };
}
