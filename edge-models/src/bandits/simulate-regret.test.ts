import { beforeAll, describe, expect, it } from 'vitest';
import type { Algorithm } from './policy-config.ts';
import { BENCH_ENVIRONMENT, simulateRegret } from './simulate-regret.ts';

// A smaller run of the benchmark world (bench/decide.bench.mjs runs 50k steps): a few seconds.
const env = { ...BENCH_ENVIRONMENT, steps: 6000, changeAt: 3000, meanDelay: 20 };
const run = (algorithm: Algorithm, contextual: boolean) =>
  simulateRegret({ arms: env.arms, dimension: contextual ? env.dimension : 1, algorithm, floor: 0.01 }, env).regret;

/** About 1–2 s per test on an idle core; the limit allows for a loaded 2-core CI machine. */
const LOADED_MACHINE_MS = 60_000;

describe('regret on the simulated click world', () => {
  let uniform = 0;
  let greedy = 0;
  beforeAll(() => {
    uniform = run({ type: 'uniform' }, false);
    greedy = run({ type: 'epsilon-greedy', epsilon: 0.1 }, false);
  }, LOADED_MACHINE_MS);

  it('the contextual bandits beat uniform by far and beat ε-greedy', () => {
    for (const algorithm of [{ type: 'lints' }, { type: 'linucb', alpha: 0.5 }] as Algorithm[]) {
      const regret = run(algorithm, true);
      expect(regret).toBeLessThan(0.6 * uniform);
      expect(regret).toBeLessThan(greedy);
    }
  }, LOADED_MACHINE_MS);

  it('context-free Thompson sampling beats uniform', () => {
    expect(run({ type: 'thompson' }, false)).toBeLessThan(0.8 * uniform);
  }, LOADED_MACHINE_MS);

  it('is deterministic for a seed', () => {
    const short = { ...env, steps: 800 };
    const once = () => simulateRegret({ arms: env.arms, dimension: env.dimension, algorithm: { type: 'lints' } }, short).regret;
    expect(once()).toBe(once());
  }, LOADED_MACHINE_MS);
});
