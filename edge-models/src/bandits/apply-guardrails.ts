import type { BanditState } from './bandit-state.ts';
import type { PolicyConfig } from './policy-config.ts';

/** Why a decision's probabilities are what they are (logged with the decision). */
export type DecisionReason = 'policy' | 'min-samples' | 'shift-capped' | 'frequency-capped';

export interface GuardedProbabilities {
  /** One probability per arm, summing to 1; null when no arm is eligible for this visitor. */
  probabilities: number[] | null;
  reason: DecisionReason;
}

/**
 * Turns the algorithm's probabilities into the ones served, in this order:
 * 1. minimum samples: until every arm has `minSamplesPerArm` rewards, uniform;
 * 2. shift cap: move from the reference allocation toward the policy by at most
 *    `maxShiftPerUpdate` on any arm (a convex combination, so it still sums to 1);
 * 3. frequency cap: arms this visitor has seen `frequencyCap` times get 0, the rest renormalised;
 * 4. floor: p ← (1 − m·floor)·p + floor over the m eligible arms, so each has at least `floor`.
 * @example
 * applyGuardrails(config, state, [0.9, 0.1], [0, 0]); // { probabilities: [...], reason: 'policy' }
 */
export function applyGuardrails(config: PolicyConfig, state: BanditState, base: readonly number[], exposures?: readonly number[]): GuardedProbabilities {
  const g = config.guardrails ?? {};
  const k = config.arms;
  let p = base.slice();
  let reason: DecisionReason = 'policy';
  if (g.minSamplesPerArm && state.pulls.some((n) => n < g.minSamplesPerArm!)) {
    p = new Array<number>(k).fill(1 / k);
    reason = 'min-samples';
  } else if (g.maxShiftPerUpdate !== undefined) {
    const shift = Math.max(...p.map((v, i) => Math.abs(v - state.reference[i]!)));
    if (shift > g.maxShiftPerUpdate) {
      const lambda = g.maxShiftPerUpdate / shift;
      p = p.map((v, i) => state.reference[i]! + lambda * (v - state.reference[i]!));
      reason = 'shift-capped';
    }
  }
  const eligible = p.map((_, i) => !(g.frequencyCap && exposures && (exposures[i] ?? 0) >= g.frequencyCap));
  const m = eligible.filter(Boolean).length;
  if (m === 0) return { probabilities: null, reason: 'frequency-capped' };
  if (m < k) {
    p = p.map((v, i) => (eligible[i] ? v : 0));
    const total = p.reduce((a, b) => a + b, 0);
    p = total > 0 ? p.map((v) => v / total) : eligible.map((e) => (e ? 1 / m : 0));
    reason = 'frequency-capped';
  }
  const floor = Math.min(config.floor ?? 0, 1 / m);
  if (floor > 0) p = p.map((v, i) => (eligible[i] ? (1 - m * floor) * v + floor : 0));
  return { probabilities: p, reason };
}
