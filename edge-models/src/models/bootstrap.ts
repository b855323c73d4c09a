import { seededRandom } from './seeded-random.ts';

/** Resamples per interval: enough for stable 2.5/97.5 percentiles at this sample size. */
export const BOOTSTRAP_RESAMPLES = 1000;

/** A point estimate with a percentile bootstrap 95 % interval. */
export interface Interval {
  readonly value: number;
  readonly low: number;
  readonly high: number;
}

/**
 * Paired percentile bootstrap: every statistic sees the same resampled rows (as per-row
 * multiplicities; `undefined` means the original sample), so differences
 * between models (`stats.b - stats.a`) get intervals that account for their correlation.
 * Resamples where a statistic is undefined (e.g. AUC without a click) are skipped for it.
 *
 * @example
 * bootstrap(rows.length, { auc: (w) => auc(s, y, w) }, 1000, 7).auc; // { value, low, high }
 */
export function bootstrap<K extends string>(
  n: number,
  statistics: Record<K, (weights: Uint16Array | undefined) => number>,
  resamples = BOOTSTRAP_RESAMPLES,
  seed = 1,
): Record<K, Interval> {
  const next = seededRandom(seed);
  const names = Object.keys(statistics) as K[];
  const draws = Object.fromEntries(names.map((k) => [k, [] as number[]])) as Record<K, number[]>;
  const weights = new Uint16Array(n);
  for (let r = 0; r < resamples; r++) {
    weights.fill(0);
    for (let i = 0; i < n; i++) weights[Math.floor(next() * n)]!++;
    for (const k of names) {
      const v = statistics[k](weights);
      if (Number.isFinite(v)) draws[k].push(v);
    }
  }
  const out = {} as Record<K, Interval>;
  for (const k of names) {
    const sorted = draws[k].sort((a, b) => a - b);
    const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.floor(p * sorted.length)))] ?? Number.NaN;
    out[k] = { value: statistics[k](undefined), low: q(0.025), high: q(0.975) };
  }
  return out;
}
