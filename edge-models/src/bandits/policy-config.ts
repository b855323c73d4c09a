/** Which bandit chooses, with its hyper-parameters (named defaults in {@link POLICY_DEFAULTS}). */
export type Algorithm =
  | { type: 'thompson'; priorAlpha?: number; priorBeta?: number }
  | { type: 'lints'; lambda?: number; scale?: number }
  | { type: 'linucb'; lambda?: number; alpha?: number }
  | { type: 'epsilon-greedy'; epsilon?: number }
  | { type: 'uniform' };

/** Limits on how the policy may behave, whatever the model says. */
export interface Guardrails {
  /** Every arm gets this many rewards before any arm is favoured (uniform until then). */
  minSamplesPerArm?: number;
  /** No arm's probability moves more than this (absolute) from the reference allocation, and the reference moves at most this per update. */
  maxShiftPerUpdate?: number;
  /** A visitor is shown one arm at most this many times (then the arm is ineligible for them). */
  frequencyCap?: number;
}

/** Everything the pure policy needs: the numbers of arms and features, the algorithm, the floor and the guardrails. */
export interface PolicyConfig {
  arms: number;
  /** Context dimension (bias included); 1 for a context-free bandit. */
  dimension: number;
  algorithm: Algorithm;
  /** Minimum propensity of every eligible arm; at most 1/arms. */
  floor?: number;
  guardrails?: Guardrails;
}

export const POLICY_DEFAULTS = {
  /** Beta(1, 1): the uniform prior on a click rate. */
  priorAlpha: 1,
  priorBeta: 1,
  /** Ridge regulariser of the linear bandits (Li et al. 2010 use 1). */
  lambda: 1,
  /** LinTS posterior scale v (Agrawal and Goyal 2013 take v of order R·sqrt(d); small rewards need less). */
  scale: 0.25,
  /** LinUCB width (Li et al. 2010: alpha = 1 + sqrt(ln(2/delta)/2), about 1.2 at delta = 0.5). */
  alpha: 1,
  epsilon: 0.1,
  floor: 0,
} as const;

/**
 * Checks a config before it is used: a floor above 1/arms cannot be honoured, and a Thompson
 * policy over a context would ignore it.
 * @example
 * validatePolicyConfig({ arms: 3, dimension: 1, algorithm: { type: 'thompson' }, floor: 0.05 }); // null
 */
export function validatePolicyConfig(config: PolicyConfig): string | null {
  if (!Number.isInteger(config.arms) || config.arms < 1) return 'arms must be a positive integer';
  if (!Number.isInteger(config.dimension) || config.dimension < 1) return 'dimension must be a positive integer';
  const floor = config.floor ?? 0;
  if (!(floor >= 0 && floor * config.arms <= 1)) return `floor must be in [0, 1/arms] = [0, ${1 / config.arms}]`;
  const g = config.guardrails ?? {};
  if (g.maxShiftPerUpdate !== undefined && !(g.maxShiftPerUpdate > 0 && g.maxShiftPerUpdate <= 1)) return 'maxShiftPerUpdate must be in (0, 1]';
  if (g.minSamplesPerArm !== undefined && !(Number.isInteger(g.minSamplesPerArm) && g.minSamplesPerArm >= 0)) return 'minSamplesPerArm must be a non-negative integer';
  if (g.frequencyCap !== undefined && !(Number.isInteger(g.frequencyCap) && g.frequencyCap >= 1)) return 'frequencyCap must be a positive integer';
  const a = config.algorithm;
  if (a.type === 'epsilon-greedy' && a.epsilon !== undefined && !(a.epsilon >= 0 && a.epsilon <= 1)) return 'epsilon must be in [0, 1]';
  if (a.type === 'thompson' && ((a.priorAlpha ?? 1) <= 0 || (a.priorBeta ?? 1) <= 0)) return 'Beta prior parameters must be positive';
  if ((a.type === 'lints' || a.type === 'linucb') && (a.lambda ?? 1) <= 0) return 'lambda must be positive';
  return null;
}
