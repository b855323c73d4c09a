/**
 * Bandit policies as pure functions of (config, state, context, rng) → arm probabilities, and
 * (config, state, feedback) → next state. The same code runs in the gateway's Durable Object,
 * the `sluice-bandit` CLI and the browser.
 * @example
 * import { chooseArm, initialState, updateState, cryptoRng } from '@sluice/edge-models/bandits';
 * const config = { arms: 3, dimension: 1, algorithm: { type: 'thompson' }, floor: 0.02 } as const;
 * let state = initialState(config);
 * const { arm, propensity } = chooseArm(config, state, [1], cryptoRng());
 * state = updateState(config, state, { arm: arm!, x: [1], reward: 1 });
 */
export { cryptoRng, seededRng, type Rng } from './rng.ts';
export { sampleBeta, sampleGamma, sampleNormal, sampleIndex } from './sample.ts';
export { specDimension, type ContextSpec, type FeatureSpec } from './context-spec.ts';
export { featurize, type FeaturizeResult } from './featurize.ts';
export { stableBucket, inHoldout } from './stable-hash.ts';
export { POLICY_DEFAULTS, validatePolicyConfig, type Algorithm, type Guardrails, type PolicyConfig } from './policy-config.ts';
export { initialState, type BanditModel, type BanditState } from './bandit-state.ts';
export { baseProbabilities } from './base-probabilities.ts';
export { betaArgmaxProbabilities, normalArgmaxProbabilities, QUADRATURE_NODES } from './argmax-probabilities.ts';
export { betaCdf, normalCdf, logGamma } from './special-functions.ts';
export { applyGuardrails, type DecisionReason, type GuardedProbabilities } from './apply-guardrails.ts';
export { chooseArm, type Choice } from './choose-arm.ts';
export { updateState, noteServed, type Feedback } from './update-state.ts';
export { armSummaries, Z95, type ArmSummary } from './arm-summaries.ts';
export { decideStep, rewardStep, type ContextualPolicy, type DecideStep } from './policy-step.ts';
export { simulateRegret, BENCH_ENVIRONMENT, type Environment } from './simulate-regret.ts';
