import type { BanditState } from './bandit-state.ts';
import { shermanMorrison } from './linalg.ts';
import type { PolicyConfig } from './policy-config.ts';

export interface Feedback {
  arm: number;
  /** Context vector the decision was made for. */
  x: readonly number[];
  /** Reward; Beta–Bernoulli clamps it to [0, 1] (a fractional reward is a fractional success). */
  reward: number;
}

/**
 * The state after one reward, without touching the input. Beta: α += r, β += 1 − r.
 * Linear (ridge): A⁻¹ ← Sherman–Morrison(A⁻¹, x), b += r·x. Mean: sum += r, count += 1.
 * The shift cap's reference then moves toward the mean served allocation by at most
 * `maxShiftPerUpdate` per arm.
 * @example
 * const next = updateState(config, state, { arm: 1, x: [1], reward: 1 });
 */
export function updateState(config: PolicyConfig, state: BanditState, feedback: Feedback): BanditState {
  const { arm, x, reward } = feedback;
  const m = state.model;
  let model = m;
  if (m.type === 'beta') {
    const r = Math.min(1, Math.max(0, reward));
    model = { type: 'beta', alpha: withAt(m.alpha, arm, m.alpha[arm]! + r), beta: withAt(m.beta, arm, m.beta[arm]! + 1 - r) };
  } else if (m.type === 'linear') {
    model = {
      type: 'linear',
      inverse: withAt(m.inverse, arm, shermanMorrison(m.inverse[arm]!, x)),
      b: withAt(m.b, arm, m.b[arm]!.map((v, i) => v + reward * x[i]!)),
    };
  } else model = { type: 'mean', sums: withAt(m.sums, arm, m.sums[arm]! + reward), counts: withAt(m.counts, arm, m.counts[arm]! + 1) };
  return {
    model,
    pulls: withAt(state.pulls, arm, state.pulls[arm]! + 1),
    updates: state.updates + 1,
    reference: nextReference(config, state),
    served: state.served.map(() => 0),
    servedCount: 0,
  };
}

/**
 * Records that a decision served `probabilities` (the target the reference moves toward at
 * the next update).
 * @example
 * state = noteServed(state, choice.probabilities);
 */
export function noteServed(state: BanditState, probabilities: readonly number[] | null): BanditState {
  if (!probabilities) return state;
  return { ...state, served: state.served.map((s, i) => s + probabilities[i]!), servedCount: state.servedCount + 1 };
}

function nextReference(config: PolicyConfig, state: BanditState): number[] {
  if (state.servedCount === 0) return state.reference;
  const target = state.served.map((s) => s / state.servedCount);
  const cap = config.guardrails?.maxShiftPerUpdate ?? 1;
  const shift = Math.max(...target.map((t, i) => Math.abs(t - state.reference[i]!)));
  const lambda = shift > cap ? cap / shift : 1;
  return state.reference.map((r, i) => r + lambda * (target[i]! - r));
}

function withAt<T>(values: readonly T[], index: number, value: T): T[] {
  const out = values.slice();
  out[index] = value;
  return out;
}
