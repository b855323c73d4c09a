import type { Experiment } from './experiment.ts';

/** What arrived for a decision: an explicit reward, or a conversion event joined by decision id. */
export type RewardSignal = { kind: 'explicit'; reward: number } | { kind: 'conversion'; event: string; value?: number };

/**
 * The reward an experiment takes from a signal for a decision that served `armId`, or null when
 * the signal does not count for it (another event, or conversions for an explicit-reward
 * experiment). Explicit rewards always count. Value rewards are value − the arm's cost.
 * @example
 * rewardFor(experiment, 'blue', { kind: 'conversion', event: 'Purchase', value: 40 }); // 40 - cost
 */
export function rewardFor(experiment: Experiment, armId: string, signal: RewardSignal): number | null {
  if (signal.kind === 'explicit') return signal.reward;
  const r = experiment.reward;
  if (r.type === 'explicit' || signal.event !== r.event) return null;
  if (r.type === 'conversion') return 1;
  const cost = experiment.arms.find((a) => a.id === armId)?.cost ?? 0;
  return (signal.value ?? 0) - cost;
}

/** Splits `<experiment>.<uuid>` into its experiment id; null when it is not one of ours. */
export function experimentOfDecision(decisionId: string): string | null {
  const m = /^([a-z0-9][a-z0-9_-]{0,62})\.[0-9a-f-]{36}$/.exec(decisionId);
  return m ? m[1]! : null;
}
