import { initialState, type BanditState } from '../bandits/bandit-state.ts';
import { specDimension, type ContextSpec } from '../bandits/context-spec.ts';
import { decideStep, rewardStep, type ContextualPolicy } from '../bandits/policy-step.ts';
import { validatePolicyConfig, type Algorithm, type Guardrails } from '../bandits/policy-config.ts';
import type { Rng } from '../bandits/rng.ts';

/** The CLI's policy file: arms (a count, or ids), the declared context, the algorithm and its limits. */
export interface BacktestConfig {
  arms: number | { id: string }[];
  context?: ContextSpec;
  algorithm: Algorithm;
  floor?: number;
  guardrails?: Guardrails;
}

/** Decisions remembered for late rewards; older ones are forgotten (their rewards then count as unknown). */
export const MAX_PENDING_DECISIONS = 1_000_000;

export interface Backtest {
  /** Handles one input line; returns the output line, or null when the line has no answer (rewards). */
  handle(line: string): string | null;
  readonly stats: { decisions: number; rewards: number; unknownRewards: number; duplicateRewards: number; errors: number };
  readonly state: BanditState;
}

/**
 * The `sluice-bandit` protocol over JSON lines: `{"op":"decide","id","context"}` → one line
 * `{"arm","propensity"}`; `{"op":"reward","id","reward"}` (any time later, once per id) → no line.
 * Runs the same `decideStep`/`rewardStep` as the gateway's Durable Object.
 * @example
 * const bt = createBacktest({ arms: 3, algorithm: { type: 'thompson' } }, seededRng(1));
 * bt.handle('{"op":"decide","id":"a","context":[1]}'); // '{"arm":2,"propensity":0.33}'
 */
export function createBacktest(file: BacktestConfig, rng: Rng): Backtest {
  const policy = toPolicy(file);
  const ids = typeof file.arms === 'number' ? null : file.arms.map((a) => a.id);
  let state = initialState(policy.config);
  const pending = new Map<string, { x: number[]; arm: number }>();
  const rewarded = new Set<string>();
  const stats = { decisions: 0, rewards: 0, unknownRewards: 0, duplicateRewards: 0, errors: 0 };
  const fail = (message: string) => {
    stats.errors++;
    return JSON.stringify({ error: { code: 'invalid_line', message } });
  };
  return {
    stats,
    get state() {
      return state;
    },
    handle(line) {
      if (!line.trim()) return null;
      let msg: { op?: unknown; id?: unknown; context?: unknown; reward?: unknown };
      try {
        msg = JSON.parse(line);
      } catch {
        return fail('line is not JSON');
      }
      const id = typeof msg.id === 'string' || typeof msg.id === 'number' ? String(msg.id) : null;
      if (msg.op === 'decide') {
        const step = decideStep(policy, state, msg.context ?? [1], rng);
        if (!step.ok) return fail(step.error);
        state = step.state;
        stats.decisions++;
        const arm = step.choice.arm!;
        if (id !== null) {
          pending.set(id, { x: step.x, arm });
          if (pending.size > MAX_PENDING_DECISIONS) pending.delete(pending.keys().next().value!);
        }
        return JSON.stringify({ arm: ids ? ids[arm] : arm, propensity: step.choice.propensity });
      }
      if (msg.op === 'reward') {
        if (typeof msg.reward !== 'number' || !Number.isFinite(msg.reward)) {
          stats.errors++;
          return null;
        }
        const decision = id === null ? undefined : pending.get(id);
        if (!decision) {
          if (id !== null && rewarded.has(id)) stats.duplicateRewards++;
          else stats.unknownRewards++;
          return null;
        }
        pending.delete(id!);
        rewarded.add(id!);
        state = rewardStep(policy, state, decision.x, decision.arm, msg.reward);
        stats.rewards++;
        return null;
      }
      return fail('op must be "decide" or "reward"');
    },
  };
}

/**
 * Builds the runnable policy from the file, validating it.
 * @example
 * toPolicy({ arms: 2, algorithm: { type: 'uniform' } });
 */
export function toPolicy(file: BacktestConfig): ContextualPolicy {
  const context: ContextSpec = file.context ?? { features: [], dimension: 1 };
  const arms = typeof file.arms === 'number' ? file.arms : file.arms.length;
  const config = { arms, dimension: specDimension(context), algorithm: file.algorithm, floor: file.floor, guardrails: file.guardrails };
  const error = validatePolicyConfig(config);
  if (error) throw new Error(error);
  return { config, context };
}
