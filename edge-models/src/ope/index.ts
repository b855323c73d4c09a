/**
 * Off-policy evaluation over logged bandit feedback (Open Bandit Pipeline's "ope" room): IPS,
 * SNIPS and doubly robust with a simple reward model, bootstrap intervals, effective sample size.
 * @example
 * import { evaluatePolicy } from '@sluice/edge-models/ope';
 * const { snips, effectiveSampleSize } = evaluatePolicy(log, actionDist, { arms: 3, rng: seededRng(1) });
 */
export { importanceWeights, type ActionDist, type Estimate, type LoggedFeedback } from './logged-feedback.ts';
export { ips, snips, dr, effectiveSampleSize, type Estimator } from './estimators.ts';
export { fitRewardModel, REWARD_MODEL_PRIOR_ROUNDS } from './fit-reward-model.ts';
export { evaluatePolicy, DEFAULT_BOOTSTRAP, type OpeOptions, type OpeReport } from './evaluate-policy.ts';
export { btsActionDist, parseObdLog, replayObd, OBD_PAPER, type ObdLog, type ObdReplay } from './obd-replay.ts';
export { feedbackFromRecords, type DecisionRecord } from './decision-record.ts';
export { candidateActionDist, type Candidate } from './candidate-policy.ts';
