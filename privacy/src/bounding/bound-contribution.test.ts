import { describe, expect, it } from 'vitest';
import { boundContribution, type UnitPartition } from './bound-contribution.ts';
import { sensitivities } from './sensitivity.ts';

const bounds = { maxPartitions: 2n, maxValue: 1000n };

/** Applies a unit's events in order, the way the aggregate shard does. */
function run(events: Array<[string, bigint]>): UnitPartition[] {
  const state: UnitPartition[] = [];
  for (const [partition, value] of events) {
    const step = boundContribution(state, partition, value, bounds);
    if (step.kind === 'new') state.push({ partition, value: step.value });
    if (step.kind === 'raise') state.splice(state.findIndex((p) => p.partition === partition), 1, { partition, value: step.to });
  }
  return state;
}

describe('boundContribution', () => {
  it('clamps the value per partition to [0, C] before summing', () => {
    expect(boundContribution([], 'a', 5000n, bounds)).toEqual({ kind: 'new', value: 1000n });
    expect(boundContribution([], 'a', -20n, bounds)).toEqual({ kind: 'new', value: 0n });
    expect(run([['a', 600n], ['a', 600n], ['a', 600n]])).toEqual([{ partition: 'a', value: 1000n }]);
  });

  it('counts a unit once per partition', () => {
    expect(boundContribution([{ partition: 'a', value: 1000n }], 'a', 5n, bounds)).toEqual({ kind: 'keep' });
  });

  it('drops partitions beyond L0', () => {
    expect(run([['a', 1n], ['b', 1n], ['c', 1n], ['d', 1n]]).map((p) => p.partition)).toEqual(['a', 'b']);
  });

  it('whatever a unit sends, it moves counts by at most L0 and sums by at most L0·C', () => {
    const events: Array<[string, bigint]> = [];
    for (let i = 0; i < 200; i++) events.push([`p${i % 7}`, BigInt(i * 997)]);
    const state = run(events);
    const { count, sum } = sensitivities(bounds);
    expect(BigInt(state.length)).toBeLessThanOrEqual(count);
    expect(state.reduce((s, p) => s + p.value, 0n)).toBeLessThanOrEqual(sum);
  });
});
