import {
  add, div, formatRational, gaussianHalfWidth, gaussianSelectionThreshold, gaussianVarianceFor, laplaceHalfWidth, laplaceScale,
  parseRational, rational, rhoFor, selectionThreshold, sensitivities, type NoiseSpec, type Rational,
} from '@sluice/privacy';
import type { ReportConfig } from './report-config.ts';
import type { ReportQuery } from './report-query.ts';

/** How one metric is noised, and how a reader should read it. */
export interface MetricNoise {
  spec: NoiseSpec;
  halfWidth: bigint;
  /** Public description for the answer: sensitivity and the exact scale or variance. */
  describe: Record<string, string | number>;
}

export interface Calibration {
  mechanism: 'discrete_laplace' | 'discrete_gaussian';
  count: MetricNoise;
  sum: MetricNoise | null;
  /** ε per metric (the query's ε, split evenly between count and sum). */
  share: Rational;
  /** δ the query costs: the Gaussian's δ plus, with discovered keys, partition selection's. */
  delta: Rational;
  /** Partition-selection threshold for discovered keys (0 when every key is public). */
  threshold: bigint;
}

/**
 * Calibrates the noise of a query from public parameters only: the bounds (sensitivities), the
 * query's ε, and the site's δ settings. A unit moves at most L0 fine partitions, by 1 (count)
 * and C (sum) each; a cell of the query is a fine partition only when the query groups by every
 * recorded dimension, otherwise up to L0 of a unit's partitions can fall into one cell
 * (per-cell contribution c = L0). Laplace: scale Δ₁/ε per metric with Δ₁ = L0 (counts), L0·C
 * (sums), whatever the grouping. Gaussian: per metric the largest ρ whose zCDP implies
 * (ε_m, δ_m), σ² = Δ₂²/(2ρ) with Δ₂² = L0·c for counts and L0·c·C² for sums (Σ vᵢ² with
 * Σ vᵢ ≤ L0 and vᵢ ≤ c). Partition selection uses c as the largest count one unit gives a key.
 * @example
 * calibrateNoise(query, config, false).count.spec; // { kind: 'laplace', scale: { num: 8n, den: 1n } }
 */
export function calibrateNoise(query: ReportQuery, config: ReportConfig, discovered: boolean): Calibration {
  const l0 = BigInt(config.bounds.maxPartitionsPerUnit);
  const fine = ['event', ...config.dimensions].every((d) => (query.dimensions as string[]).includes(d));
  const perCell = fine ? 1n : l0;
  const c = BigInt(config.bounds.maxValuePerPartition);
  const sens = sensitivities({ maxPartitions: l0, maxValue: c });
  const withSum = query.metrics.includes('sum');
  const metrics = withSum ? 2n : 1n;
  const share = div(query.epsilon, rational(metrics));
  const selectionDelta = exact(config.budget.selectionDelta);
  const sum = (noise: MetricNoise | null) => (withSum ? noise : null);
  let count: MetricNoise;
  let sumNoise: MetricNoise | null;
  let delta = discovered ? selectionDelta : rational(0n);
  if (query.noise === 'gaussian') {
    const gaussianDelta = exact(config.budget.gaussianDelta);
    delta = add(delta, gaussianDelta);
    const rho = rhoFor(toNumber(share), toNumber(gaussianDelta) / Number(metrics));
    const metric = (l2Squared: bigint): MetricNoise => {
      const variance = gaussianVarianceFor(l2Squared, rho);
      return { spec: { kind: 'gaussian', variance }, halfWidth: gaussianHalfWidth(variance), describe: { l2SensitivitySquared: Number(l2Squared), rho: formatRational(rho), variance: formatRational(variance) } };
    };
    count = metric(l0 * perCell);
    sumNoise = sum(metric(l0 * perCell * c * c));
  } else {
    const metric = (sensitivity: bigint): MetricNoise => {
      const scale = laplaceScale(sensitivity, share);
      return { spec: { kind: 'laplace', scale }, halfWidth: laplaceHalfWidth(scale), describe: { sensitivity: Number(sensitivity), scale: formatRational(scale) } };
    };
    count = metric(sens.count);
    sumNoise = sum(metric(sens.sum));
  }
  const threshold = !discovered
    ? 0n
    : count.spec.kind === 'laplace'
      ? selectionThreshold(count.spec.scale, l0, toNumber(selectionDelta), perCell)
      : gaussianSelectionThreshold(count.spec.variance, l0, toNumber(selectionDelta), perCell);
  return { mechanism: query.noise === 'gaussian' ? 'discrete_gaussian' : 'discrete_laplace', count, sum: sumNoise, share, delta, threshold };
}

function exact(text: string): Rational {
  const r = parseRational(text);
  if (!r.ok) throw new RangeError('calibrateNoise: config holds a non-rational');
  return r.value;
}

/** Public parameters only (ε, δ) go through floating point, for ln/√ in the calibration. */
function toNumber(r: Rational): number {
  return Number(r.num) / Number(r.den);
}
