import { applyGuardrails } from '../bandits/apply-guardrails.ts';
import { baseProbabilities } from '../bandits/base-probabilities.ts';
import { initialState, type BanditState } from '../bandits/bandit-state.ts';
import type { PolicyConfig } from '../bandits/policy-config.ts';
import { updateState } from '../bandits/update-state.ts';
import type { ActionDist, LoggedFeedback } from './logged-feedback.ts';

/**
 * A policy to evaluate before it goes live:
 * - `fixed`: the same arm probabilities for every context;
 * - `model`: a bandit config whose state is fitted on the log's own rewarded rounds (in-sample,
 *   so optimistic), or the given state (e.g. the live model), then its guarded probabilities
 *   per logged context; `greedy` puts all mass on the arm the policy ranks first.
 */
export type Candidate =
  | { type: 'fixed'; probabilities: number[] }
  | { type: 'model'; config: PolicyConfig; state?: BanditState; greedy?: boolean };

/**
 * π_e(· | x_i) for every logged round.
 * @example
 * const dist = candidateActionDist({ type: 'fixed', probabilities: [0, 1] }, data);
 */
export function candidateActionDist(candidate: Candidate, data: LoggedFeedback): ActionDist {
  if (candidate.type === 'fixed') {
    const total = candidate.probabilities.reduce((a, b) => a + b, 0);
    const p = candidate.probabilities.map((v) => v / total);
    return data.action.map(() => p);
  }
  const { config } = candidate;
  const xs = data.context ?? data.action.map(() => [1]);
  let state = candidate.state ?? initialState(config);
  if (!candidate.state) data.action.forEach((arm, i) => (state = updateState(config, state, { arm, x: xs[i]!, reward: data.reward[i]! })));
  return xs.map((x) => {
    const p = applyGuardrails(config, state, baseProbabilities(config, state, x)).probabilities ?? new Array<number>(config.arms).fill(1 / config.arms);
    if (!candidate.greedy) return p;
    const top = p.indexOf(Math.max(...p));
    return p.map((_, i) => (i === top ? 1 : 0));
  });
}
