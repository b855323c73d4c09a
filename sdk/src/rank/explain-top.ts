import type { Contribution } from './rank-types.ts';

const logit = (p: number) => Math.log(p / (1 - p));

/**
 * Each feature's contribution to one row's logit: the drop when that feature is set to 0
 * (occlusion). For a linear logit this is exactly weight × value; with interactions (FM, MLP) it
 * counts an interaction for each feature it involves, so contributions need not add up.
 *
 * @example
 * await contributions(row, names, (batch, n) => session.score(batch, n, row.length));
 */
export async function contributions(row: Float32Array, names: readonly string[], score: (batch: Float32Array, rows: number) => Promise<Float32Array>): Promise<{ score: number; contributions: Contribution[] }> {
  const d = row.length;
  const batch = new Float32Array(d * (d + 1));
  batch.set(row);
  for (let i = 0; i < d; i++) {
    batch.set(row, (i + 1) * d);
    batch[(i + 1) * d + i] = 0;
  }
  const scores = await score(batch, d + 1);
  const base = logit(scores[0]!);
  return {
    score: scores[0]!,
    contributions: names.map((feature, i) => ({ feature, value: row[i]!, contribution: base - logit(scores[i + 1]!) })),
  };
}
