import type { LoggedFeedback } from './logged-feedback.ts';

/** Shrinkage of per-arm means toward the global mean, in pseudo-rounds (a Beta prior's weight). */
export const REWARD_MODEL_PRIOR_ROUNDS = 20;

/**
 * A simple reward model q̂(x, a) for DR: per arm, a ridge regression of reward on the context
 * (λ = 1) when contexts are logged; otherwise the arm's mean shrunk toward the global mean by
 * {@link REWARD_MODEL_PRIOR_ROUNDS}. Predictions are clamped to the observed reward range.
 * Returns n × K predictions for the logged rounds. Pass `groups` to fit a separate context-free
 * mean per group (OBD: per position).
 * @example
 * const q = fitRewardModel(data, 3); // q[i][a]
 */
export function fitRewardModel(data: LoggedFeedback, arms: number, groups?: readonly number[]): number[][] {
  const n = data.action.length;
  const lo = Math.min(...data.reward), hi = Math.max(...data.reward);
  const clamp = (v: number) => Math.min(hi, Math.max(lo, v));
  if (data.context && data.context[0] && data.context[0].length > 1) return ridgePerArm(data, arms).map((row) => row.map(clamp));
  const g = groups ?? new Array<number>(n).fill(0);
  const global = data.reward.reduce((a, b) => a + b, 0) / Math.max(n, 1);
  const sums = new Map<string, { s: number; c: number }>();
  data.action.forEach((a, i) => {
    const key = `${g[i]}:${a}`;
    const cell = sums.get(key) ?? { s: 0, c: 0 };
    cell.s += data.reward[i]!;
    cell.c += 1;
    sums.set(key, cell);
  });
  return data.action.map((_, i) =>
    Array.from({ length: arms }, (_, a) => {
      const cell = sums.get(`${g[i]}:${a}`) ?? { s: 0, c: 0 };
      return clamp((cell.s + REWARD_MODEL_PRIOR_ROUNDS * global) / (cell.c + REWARD_MODEL_PRIOR_ROUNDS));
    }),
  );
}

function ridgePerArm(data: LoggedFeedback, arms: number): number[][] {
  const xs = data.context!;
  const d = xs[0]!.length;
  const thetas = Array.from({ length: arms }, (_, a) => {
    const gram = Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => (i === j ? 1 : 0)));
    const xtr = new Array<number>(d).fill(0);
    data.action.forEach((act, n) => {
      if (act !== a) return;
      const x = xs[n]!;
      for (let i = 0; i < d; i++) {
        xtr[i]! += x[i]! * data.reward[n]!;
        for (let j = 0; j < d; j++) gram[i]![j]! += x[i]! * x[j]!;
      }
    });
    return solve(gram, xtr);
  });
  return xs.map((x) => thetas.map((theta) => x.reduce((s, v, i) => s + v * theta[i]!, 0)));
}

/** Gaussian elimination with partial pivoting (the Gram matrix is SPD after the ridge term). */
function solve(a: number[][], b: number[]): number[] {
  const d = b.length;
  const m = a.map((row, i) => [...row, b[i]!]);
  for (let c = 0; c < d; c++) {
    let p = c;
    for (let r = c + 1; r < d; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[p]![c]!)) p = r;
    [m[c], m[p]] = [m[p]!, m[c]!];
    for (let r = c + 1; r < d; r++) {
      const f = m[r]![c]! / m[c]![c]!;
      for (let j = c; j <= d; j++) m[r]![j]! -= f * m[c]![j]!;
    }
  }
  const x = new Array<number>(d).fill(0);
  for (let r = d - 1; r >= 0; r--) {
    let s = m[r]![d]!;
    for (let j = r + 1; j < d; j++) s -= m[r]![j]! * x[j]!;
    x[r] = s / m[r]![r]!;
  }
  return x;
}
