import { describe, expect, it } from 'vitest';
import { applyGuardrails } from './apply-guardrails.ts';
import { initialState } from './bandit-state.ts';
import type { PolicyConfig } from './policy-config.ts';
import { noteServed, updateState } from './update-state.ts';

const base: PolicyConfig = { arms: 4, dimension: 1, algorithm: { type: 'epsilon-greedy', epsilon: 0 } };

describe('guardrails', () => {
  it('uniform until every arm has the minimum samples', () => {
    const config: PolicyConfig = { ...base, guardrails: { minSamplesPerArm: 2 } };
    let state = initialState(config);
    for (const arm of [0, 0, 1, 1, 2, 2, 3]) state = updateState(config, state, { arm, x: [1], reward: arm === 0 ? 1 : 0 });
    expect(applyGuardrails(config, state, [1, 0, 0, 0])).toEqual({ probabilities: [0.25, 0.25, 0.25, 0.25], reason: 'min-samples' });
    state = updateState(config, state, { arm: 3, x: [1], reward: 0 });
    expect(applyGuardrails(config, state, [1, 0, 0, 0])).toEqual({ probabilities: [1, 0, 0, 0], reason: 'policy' });
  });

  it('no arm moves more than the cap from the reference, and the reference moves at most the cap per update', () => {
    const config: PolicyConfig = { ...base, guardrails: { maxShiftPerUpdate: 0.1 } };
    let state = initialState(config);
    const served = applyGuardrails(config, state, [1, 0, 0, 0]);
    expect(served.reason).toBe('shift-capped');
    served.probabilities!.forEach((p, i) => expect(Math.abs(p - state.reference[i]!)).toBeLessThanOrEqual(0.1 + 1e-12));
    expect(served.probabilities!.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    const before = state.reference;
    state = updateState(config, noteServed(state, served.probabilities), { arm: 0, x: [1], reward: 1 });
    state.reference.forEach((r, i) => expect(Math.abs(r - before[i]!)).toBeLessThanOrEqual(0.1 + 1e-12));
    expect(state.reference[0]).toBeGreaterThan(before[0]!);
  });

  it('frequency cap removes arms the visitor has seen enough; none left means no arm', () => {
    const config: PolicyConfig = { ...base, floor: 0.1, guardrails: { frequencyCap: 2 } };
    const state = initialState(config);
    const capped = applyGuardrails(config, state, [0.7, 0.1, 0.1, 0.1], [2, 0, 1, 0]);
    expect(capped.reason).toBe('frequency-capped');
    expect(capped.probabilities![0]).toBe(0);
    expect(capped.probabilities!.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    capped.probabilities!.slice(1).forEach((p) => expect(p).toBeGreaterThanOrEqual(0.1));
    expect(applyGuardrails(config, state, [0.25, 0.25, 0.25, 0.25], [2, 2, 2, 2]).probabilities).toBeNull();
  });

  it('the floor mixes: (1 − K·floor)·p + floor', () => {
    const config: PolicyConfig = { ...base, floor: 0.05 };
    expect(applyGuardrails(config, initialState(config), [1, 0, 0, 0]).probabilities).toEqual([0.85, 0.05, 0.05, 0.05].map((v) => expect.closeTo(v, 12)));
  });
});
