import { initialState } from './bandit-state.ts';
import { chooseArm } from './choose-arm.ts';
import type { PolicyConfig } from './policy-config.ts';
import { seededRng } from './rng.ts';
import { sampleNormal } from './sample.ts';
import { noteServed, updateState } from './update-state.ts';

/** The simulated world of the regret benchmark. */
export interface Environment {
  arms: number;
  /** Context dimension, bias included (10 in the benchmark). */
  dimension: number;
  steps: number;
  seed: number;
  /** Mean reward delay in steps (geometric). */
  meanDelay: number;
  /** Step of the abrupt change (every arm's weights redrawn). */
  changeAt: number;
  /** Per-step standard deviation of the slow random-walk drift of every weight. */
  drift: number;
}

export const BENCH_ENVIRONMENT: Environment = { arms: 5, dimension: 10, steps: 50_000, seed: 1, meanDelay: 50, changeAt: 25_000, drift: 0.002 };

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/**
 * Runs a policy (through the same `chooseArm` / `updateState` as production) in a linear-logistic
 * click world: P(click | x, k) = σ(θ_kᵀx), x = [1, 9 standard-normal features · 0.5]. Rewards
 * arrive after a geometric delay; at `changeAt` all θ are redrawn (abrupt change); every step
 * each θ takes a small random-walk step (slow drift). Returns the cumulative expected regret
 * Σ_t (max_k p_k(x_t) − p_{a_t}(x_t)), and the clicks.
 * @example
 * simulateRegret({ arms: 5, dimension: 10, algorithm: { type: 'lints' } }, { ...BENCH_ENVIRONMENT, steps: 5000 });
 */
export function simulateRegret(config: PolicyConfig, env: Environment): { regret: number; clicks: number; regretAt: number[] } {
  const world = seededRng(env.seed);
  const policyRng = seededRng(env.seed + 1_000_003);
  const draw = () => Array.from({ length: env.arms }, () => Array.from({ length: env.dimension }, (_, j) => (j === 0 ? -2 + 0.5 * sampleNormal(world) : 0.6 * sampleNormal(world))));
  let theta = draw();
  let state = initialState(config);
  const arrivals = new Map<number, { arm: number; x: number[]; reward: number }[]>();
  let regret = 0;
  let clicks = 0;
  const regretAt: number[] = [];
  const contextual = config.dimension === env.dimension;
  for (let t = 0; t < env.steps; t++) {
    if (t === env.changeAt) theta = draw();
    for (const row of theta) for (let j = 0; j < row.length; j++) row[j]! += env.drift * sampleNormal(world);
    const x = Array.from({ length: env.dimension }, (_, j) => (j === 0 ? 1 : 0.5 * sampleNormal(world)));
    const p = theta.map((row) => sigmoid(row.reduce((s, w, j) => s + w * x[j]!, 0)));
    const seen = contextual ? x : [1];
    const choice = chooseArm(config, state, seen, policyRng);
    state = noteServed(state, choice.probabilities);
    const arm = choice.arm ?? 0;
    regret += Math.max(...p) - p[arm]!;
    const reward = world() < p[arm]! ? 1 : 0;
    clicks += reward;
    // Geometric delay with mean `meanDelay` (≥ 1 step).
    const delay = 1 + Math.floor(Math.log(1 - world()) / Math.log(1 - 1 / env.meanDelay));
    const due = arrivals.get(t + delay) ?? [];
    due.push({ arm, x: seen, reward });
    arrivals.set(t + delay, due);
    for (const f of arrivals.get(t) ?? []) state = updateState(config, state, f);
    arrivals.delete(t);
    if ((t + 1) % Math.max(1, Math.floor(env.steps / 10)) === 0) regretAt.push(regret);
  }
  return { regret, clicks, regretAt };
}
