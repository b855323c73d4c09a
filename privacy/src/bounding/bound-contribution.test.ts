import { describe, expect, it } from 'vitest';
import { seededSource } from '../testing/index.ts';
import { boundContribution, type UnitState } from './bound-contribution.ts';
import { applyBoundedStep } from './apply-bounded-step.ts';
import { sensitivities } from './sensitivity.ts';

const bounds = { maxPartitions: 2n, maxValue: 1000n };
const empty: UnitState = { kept: [], dropped: [] };

/** Applies a unit's events in order, the way the aggregate shard does. */
function run(events: Array<[string, bigint]>, seed = 1): UnitState {
  const rng = seededSource(seed);
  let state = empty;
  for (const [partition, value] of events) state = applyBoundedStep(state, partition, boundContribution(state, partition, value, bounds, rng));
  return state;
}

describe('boundContribution', () => {
  const rng = seededSource(1);

  it('clamps the value per partition to [0, C] before summing', () => {
    expect(boundContribution(empty, 'a', 5000n, bounds, rng)).toEqual({ kind: 'new', value: 1000n });
    expect(boundContribution(empty, 'a', -20n, bounds, rng)).toEqual({ kind: 'new', value: 0n });
    expect(run([['a', 600n], ['a', 600n], ['a', 600n]]).kept).toEqual([{ partition: 'a', value: 1000n }]);
  });

  it('counts a unit once per partition', () => {
    expect(boundContribution({ kept: [{ partition: 'a', value: 1000n }], dropped: [] }, 'a', 5n, bounds, rng)).toEqual({ kind: 'ignore' });
  });

  it('keeps at most L0 partitions, and a refused partition stays refused', () => {
    const state = run([['a', 1n], ['b', 1n], ['c', 1n], ['d', 1n], ['c', 1n], ['a', 1n]]);
    expect(state.kept).toHaveLength(2);
    expect([...state.kept.map((p) => p.partition), ...state.dropped].sort()).toEqual(['a', 'b', 'c', 'd']);
  });

  it('chooses the kept partitions uniformly (reservoir sampling), not by arrival order', () => {
    const kept = new Map<string, number>();
    const RUNS = 4000;
    for (let seed = 0; seed < RUNS; seed++) {
      for (const p of run([['a', 1n], ['b', 1n], ['c', 1n], ['d', 1n]], seed).kept) kept.set(p.partition, (kept.get(p.partition) ?? 0) + 1);
    }
    // Each of 4 partitions is in the L0 = 2 kept ones with probability 1/2.
    for (const p of ['a', 'b', 'c', 'd']) expect(Math.abs(kept.get(p)! / RUNS - 0.5)).toBeLessThan(0.04);
  });

  it('whatever a unit sends, it moves counts by at most L0 and sums by at most L0·C', () => {
    const events: Array<[string, bigint]> = [];
    for (let i = 0; i < 200; i++) events.push([`p${i % 7}`, BigInt(i * 997)]);
    const { kept } = run(events);
    const { count, sum } = sensitivities(bounds);
    expect(BigInt(kept.length)).toBeLessThanOrEqual(count);
    expect(kept.reduce((s, p) => s + p.value, 0n)).toBeLessThanOrEqual(sum);
  });
});
