import type { BanditState } from './bandit-state.ts';
import { chooseArm, type Choice } from './choose-arm.ts';
import type { ContextSpec } from './context-spec.ts';
import { featurize } from './featurize.ts';
import type { PolicyConfig } from './policy-config.ts';
import type { Rng } from './rng.ts';
import { noteServed, updateState } from './update-state.ts';

/** A policy with its declared context: what the Durable Object and the CLI both run. */
export interface ContextualPolicy {
  config: PolicyConfig;
  context: ContextSpec;
}

export type DecideStep = { ok: true; choice: Choice; x: number[]; state: BanditState } | { ok: false; error: string };

/**
 * One decide, end to end and pure: featurize the raw context, choose, record what was served.
 * The gateway's Durable Object and the `sluice-bandit` CLI call exactly this, so the same seed
 * and history give the same decisions in both.
 * @example
 * const step = decideStep(policy, state, { device: 'mobile' }, rng);
 * if (step.ok) state = step.state;
 */
export function decideStep(policy: ContextualPolicy, state: BanditState, context: unknown, rng: Rng, exposures?: readonly number[]): DecideStep {
  const features = featurize(policy.context, context);
  if (!features.ok) return features;
  const choice = chooseArm(policy.config, state, features.x, rng, exposures);
  return { ok: true, choice, x: features.x, state: noteServed(state, choice.probabilities) };
}

/**
 * One reward for an earlier decision (context vector `x`, arm index `arm`).
 * @example
 * state = rewardStep(policy, state, decision.x, decision.arm, 1);
 */
export function rewardStep(policy: ContextualPolicy, state: BanditState, x: readonly number[], arm: number, reward: number): BanditState {
  return updateState(policy.config, state, { arm, x, reward });
}
