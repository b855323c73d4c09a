import { applyGuardrails, type DecisionReason } from './apply-guardrails.ts';
import { baseProbabilities } from './base-probabilities.ts';
import type { BanditState } from './bandit-state.ts';
import type { PolicyConfig } from './policy-config.ts';
import type { Rng } from './rng.ts';
import { sampleIndex } from './sample.ts';

export interface Choice {
  /** Arm index, or null when the frequency cap leaves no arm for this visitor (serve the default). */
  arm: number | null;
  /** The probability with which `arm` was drawn: the propensity to log. */
  propensity: number;
  /** The full distribution the arm was drawn from. */
  probabilities: number[] | null;
  reason: DecisionReason;
}

/**
 * One decision: the policy's probabilities for context `x`, guardrails and floor applied, then
 * one arm drawn from them with `rng`. Pure: the same config, state, context and rng stream give
 * the same choice in workerd, Node and the browser.
 * @example
 * const choice = chooseArm(config, state, [1, 0, 1], cryptoRng());
 * log({ arm: choice.arm, propensity: choice.propensity });
 */
export function chooseArm(config: PolicyConfig, state: BanditState, x: readonly number[], rng: Rng, exposures?: readonly number[]): Choice {
  const { probabilities, reason } = applyGuardrails(config, state, baseProbabilities(config, state, x), exposures);
  if (!probabilities) return { arm: null, propensity: 1, probabilities: null, reason };
  const arm = sampleIndex(probabilities, rng);
  return { arm, propensity: probabilities[arm]!, probabilities, reason };
}
