import { describe, expect, it } from 'vitest';
import type { Algorithm } from './policy-config.ts';
import { BENCH_ENVIRONMENT, simulateRegret } from './simulate-regret.ts';

// A smaller run of the benchmark world (bench/decide.bench.mjs runs 50k steps): a few seconds.
const env = { ...BENCH_ENVIRONMENT, steps: 6000, changeAt: 3000, meanDelay: 20 };
const run = (algorithm: Algorithm, contextual: boolean) =>
  simulateRegret({ arms: env.arms, dimension: contextual ? env.dimension : 1, algorithm, floor: 0.01, draws: 50 }, env).regret;

describe('regret on the simulated click world', () => {
  const uniform = run({ type: 'uniform' }, false);
  const greedy = run({ type: 'epsilon-greedy', epsilon: 0.1 }, false);

  it('the contextual bandits beat uniform by far and beat ε-greedy', () => {
    for (const algorithm of [{ type: 'lints' }, { type: 'linucb', alpha: 0.5 }] as Algorithm[]) {
      const regret = run(algorithm, true);
      expect(regret).toBeLessThan(0.6 * uniform);
      expect(regret).toBeLessThan(greedy);
    }
  });

  it('context-free Thompson sampling beats uniform', () => {
    expect(run({ type: 'thompson' }, false)).toBeLessThan(0.8 * uniform);
  });

  it('is deterministic for a seed', () => {
    expect(run({ type: 'lints' }, true)).toBe(run({ type: 'lints' }, true));
  });
});
