import { scaledIdentity } from './linalg.ts';
import { POLICY_DEFAULTS, type PolicyConfig } from './policy-config.ts';

/** Per-algorithm sufficient statistics. Plain numbers only: the state is stored as JSON. */
export type BanditModel =
  | { type: 'beta'; alpha: number[]; beta: number[] }
  | { type: 'linear'; inverse: number[][]; b: number[][] }
  | { type: 'mean'; sums: number[]; counts: number[] };

/**
 * Everything a policy learns. `reference` is the allocation the shift cap measures against;
 * `served`/`servedCount` accumulate the probabilities served since the last update.
 */
export interface BanditState {
  model: BanditModel;
  /** Rewards applied per arm. */
  pulls: number[];
  /** Updates applied in total (the model part of the policy version). */
  updates: number;
  reference: number[];
  served: number[];
  servedCount: number;
}

/**
 * The state before any feedback: the prior of the algorithm, a uniform reference allocation.
 * @example
 * const state = initialState({ arms: 3, dimension: 1, algorithm: { type: 'thompson' } });
 */
export function initialState(config: PolicyConfig): BanditState {
  const k = config.arms;
  const a = config.algorithm;
  const fill = (v: number) => new Array<number>(k).fill(v);
  let model: BanditModel;
  if (a.type === 'thompson') model = { type: 'beta', alpha: fill(a.priorAlpha ?? POLICY_DEFAULTS.priorAlpha), beta: fill(a.priorBeta ?? POLICY_DEFAULTS.priorBeta) };
  else if (a.type === 'lints' || a.type === 'linucb') {
    const lambda = a.lambda ?? POLICY_DEFAULTS.lambda;
    model = {
      type: 'linear',
      inverse: Array.from({ length: k }, () => scaledIdentity(config.dimension, 1 / lambda)),
      b: Array.from({ length: k }, () => new Array<number>(config.dimension).fill(0)),
    };
  } else model = { type: 'mean', sums: fill(0), counts: fill(0) };
  return { model, pulls: fill(0), updates: 0, reference: fill(1 / k), served: fill(0), servedCount: 0 };
}
