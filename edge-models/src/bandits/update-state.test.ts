import { describe, expect, it } from 'vitest';
import { initialState } from './bandit-state.ts';
import { dot } from './linalg.ts';
import type { PolicyConfig } from './policy-config.ts';
import { seededRng } from './rng.ts';
import { updateState } from './update-state.ts';

/** Gauss–Jordan inverse: the closed form the Sherman–Morrison updates must reproduce. */
function invert(m: number[][]): number[][] {
  const d = m.length;
  const a = m.map((row, i) => [...row, ...row.map((_, j) => (i === j ? 1 : 0))]);
  for (let c = 0; c < d; c++) {
    let p = c;
    for (let r = c + 1; r < d; r++) if (Math.abs(a[r]![c]!) > Math.abs(a[p]![c]!)) p = r;
    [a[c], a[p]] = [a[p]!, a[c]!];
    const pivot = a[c]![c]!;
    a[c] = a[c]!.map((v) => v / pivot);
    for (let r = 0; r < d; r++) if (r !== c) a[r] = a[r]!.map((v, j) => v - a[r]![c]! * a[c]![j]!);
  }
  return a.map((row) => row.slice(d));
}

describe('posterior updates against closed forms', () => {
  it('Beta–Bernoulli: α = α0 + successes, β = β0 + failures', () => {
    const config: PolicyConfig = { arms: 2, dimension: 1, algorithm: { type: 'thompson', priorAlpha: 2, priorBeta: 3 } };
    let state = initialState(config);
    const rewards = [1, 0, 0, 1, 1, 1, 0];
    for (const r of rewards) state = updateState(config, state, { arm: 1, x: [1], reward: r });
    expect(state.model).toEqual({ type: 'beta', alpha: [2, 2 + 4], beta: [3, 3 + 3] });
    expect(state.pulls).toEqual([0, 7]);
    expect(state.updates).toBe(7);
  });

  it('linear: A⁻¹ and θ̂ equal the ridge closed form (λI + XᵀX)⁻¹ Xᵀr', () => {
    const d = 4;
    const lambda = 2;
    const config: PolicyConfig = { arms: 1, dimension: d, algorithm: { type: 'linucb', lambda } };
    const rng = seededRng(3);
    let state = initialState(config);
    const xs: number[][] = [];
    const rs: number[] = [];
    for (let n = 0; n < 30; n++) {
      const x = [1, rng(), rng() - 0.5, rng() > 0.5 ? 1 : 0];
      const r = rng() > 0.6 ? 1 : 0;
      xs.push(x);
      rs.push(r);
      state = updateState(config, state, { arm: 0, x, reward: r });
    }
    const gram = Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => (i === j ? lambda : 0) + xs.reduce((s, x) => s + x[i]! * x[j]!, 0)));
    const xtr = Array.from({ length: d }, (_, i) => xs.reduce((s, x, n) => s + x[i]! * rs[n]!, 0));
    const exact = invert(gram);
    if (state.model.type !== 'linear') throw new Error('expected a linear model');
    const inverse = state.model.inverse[0]!;
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) expect(inverse[i * d + j]).toBeCloseTo(exact[i]![j]!, 10);
    expect(state.model.b[0]).toEqual(xtr.map((v) => expect.closeTo(v, 10)));
    const theta = exact.map((row) => dot(row, xtr));
    const thetaFromState = Array.from({ length: d }, (_, i) => dot(inverse.slice(i * d, i * d + d), state.model.type === 'linear' ? state.model.b[0]! : []));
    thetaFromState.forEach((v, i) => expect(v).toBeCloseTo(theta[i]!, 10));
  });

  it('ε-greedy keeps sums and counts; the input state is never mutated', () => {
    const config: PolicyConfig = { arms: 2, dimension: 1, algorithm: { type: 'epsilon-greedy' } };
    const start = initialState(config);
    const frozen = JSON.stringify(start);
    const next = updateState(config, updateState(config, start, { arm: 0, x: [1], reward: 3 }), { arm: 0, x: [1], reward: 1 });
    expect(next.model).toEqual({ type: 'mean', sums: [4, 0], counts: [2, 0] });
    expect(JSON.stringify(start)).toBe(frozen);
  });
});
