import { cryptoSource, formatRational, releaseCells, type RandomSource, type ReleasedCell, type TrueCell } from '@sluice/privacy';
import type { Env } from '../env.ts';
import { NONE } from './dimensions.ts';
import type { ReportConfig } from './report-config.ts';
import type { ReportQuery } from './report-query.ts';
import { cartesian, MAX_PUBLIC_CELLS, publicKeys } from './key-sets.ts';
import { AGGREGATE_SHARDS } from './privacy-unit.ts';
import { aggregateShard } from './count-aggregates.ts';
import type { ShardTotal } from './aggregate-shard.ts';
import { calibrateNoise } from './calibrate-noise.ts';

/** A released number with its 95 % interval: `[value − h, value + h]` covers the bounded true value with ≥ 95 %. */
export interface NoisyNumber {
  value: number;
  interval: [number, number];
}

export interface ReportCell {
  key: Record<string, string>;
  /** Null when the cell is suppressed by the k floor, which is exactly how an empty cell looks. */
  count: NoisyNumber | null;
  sum: NoisyNumber | null;
}

/** Everything a reader needs to interpret the numbers (all of it public: parameters, not data). */
export interface ReportRelease {
  dimensions: string[];
  metrics: string[];
  from: string;
  to: string;
  epsilon: { spent: string; count: string; sum: string | null; chargedPerDay: string[] };
  /** δ charged on every day of the range (Gaussian noise and/or partition selection); "0" for pure ε-DP. */
  delta: string;
  noise: {
    mechanism: 'discrete_laplace' | 'discrete_gaussian';
    /** Laplace: `sensitivity` (L1) and `scale` b; Gaussian: `l2SensitivitySquared`, `rho`, `variance` σ². Exact rationals as strings. */
    count: Record<string, string | number> & { halfWidth95: number };
    sum: (Record<string, string | number> & { halfWidth95: number; unit: string }) | null;
  };
  kFloor: number;
  /** Present when a dimension's keys are not in a public catalogue. */
  partitionSelection: { delta: string; threshold: number } | null;
  bounds: { maxPartitionsPerUnit: number; maxValuePerPartition: number; privacyUnit: '(site, visitor, day)' };
  cells: ReportCell[];
}

/** The query cannot be answered as asked (found before any budget is spent). */
export class QueryTooLarge extends Error {}

/**
 * Checks the size of a public cell grid before the budget is touched; returns the key sets.
 * @example
 * plannedKeySets(query, config); // [['2026-12-01'], ['Purchase', 'page']]
 */
export function plannedKeySets(query: ReportQuery, config: ReportConfig): Array<string[] | null> {
  const sets = query.dimensions.map((d) => publicKeys(d, config, query.days));
  if (sets.every((s) => s !== null) && sets.reduce((n, s) => n * s!.length, 1) > MAX_PUBLIC_CELLS) throw new QueryTooLarge();
  return sets;
}

/**
 * Computes one release: merges the exact bounded totals of every shard (in memory only),
 * groups them by the query's dimensions, and hands the cells to `releaseCells` (noise, k floor,
 * partition selection). Call only after the ledger has debited the query.
 */
export async function runReport(env: Env, siteId: string, config: ReportConfig, query: ReportQuery, rng: RandomSource = cryptoSource()): Promise<ReportRelease> {
  const sets = plannedKeySets(query, config);
  const totals = (await Promise.all(Array.from({ length: AGGREGATE_SHARDS }, (_, shard) => aggregateShard(env, siteId, shard).totals(query.from, query.to)))).flat();
  const grouped = group(totals, query);
  const isPublic = sets.every((s) => s !== null);
  const cells: TrueCell[] = isPublic
    ? cartesian(sets as string[][]).map((key) => {
        const t = grouped.get(JSON.stringify(key));
        return { key, count: t?.count ?? 0n, sum: t?.sum ?? 0n, public: true };
      })
    : [...grouped]
        .filter(([, t]) => t.count > 0n) // a key only ever touched by units that were later evicted (reservoir) is no candidate
        .map(([k, t]) => ({ key: JSON.parse(k) as string[], count: t.count, sum: t.sum, public: false }))
        .sort((a, b) => cmpKeys(a.key, b.key));

  const noise = calibrateNoise(query, config, !isPublic);
  const released = releaseCells(cells, { count: noise.count.spec, sum: noise.sum?.spec, kFloor: BigInt(config.kFloor), selectionThreshold: noise.threshold }, rng);
  const withSum = noise.sum !== null;
  return {
    dimensions: query.dimensions,
    metrics: query.metrics,
    from: query.from,
    to: query.to,
    epsilon: { spent: formatRational(query.epsilon), count: formatRational(noise.share), sum: withSum ? formatRational(noise.share) : null, chargedPerDay: query.days },
    delta: formatRational(noise.delta),
    noise: {
      mechanism: noise.mechanism,
      count: { ...noise.count.describe, halfWidth95: Number(noise.count.halfWidth) },
      sum: noise.sum ? { ...noise.sum.describe, halfWidth95: Number(noise.sum.halfWidth), unit: `minor units (10^-${config.sum.decimals})` } : null,
    },
    kFloor: config.kFloor,
    partitionSelection: isPublic ? null : { delta: config.budget.selectionDelta, threshold: Number(noise.threshold > BigInt(config.kFloor) ? noise.threshold : BigInt(config.kFloor)) },
    bounds: { maxPartitionsPerUnit: config.bounds.maxPartitionsPerUnit, maxValuePerPartition: config.bounds.maxValuePerPartition, privacyUnit: '(site, visitor, day)' },
    cells: released.map((cell) => toCell(cell, query, noise.count.halfWidth, noise.sum?.halfWidth ?? null)),
  };
}

/** Sums shard totals into the query's cells (a unit in two fine partitions of one cell counts in both: still ≤ L0 per unit). */
function group(totals: ShardTotal[], query: ReportQuery): Map<string, { count: bigint; sum: bigint }> {
  const grouped = new Map<string, { count: bigint; sum: bigint }>();
  for (const row of totals) {
    const partition = JSON.parse(row.partition) as Record<string, string>;
    const key = query.dimensions.map((d) => (d === 'day' ? row.day : partition[d] ?? NONE));
    const k = JSON.stringify(key);
    const t = grouped.get(k) ?? { count: 0n, sum: 0n };
    t.count += BigInt(row.units);
    t.sum += BigInt(row.value);
    grouped.set(k, t);
  }
  return grouped;
}

function toCell(cell: ReleasedCell, query: ReportQuery, countHalf: bigint, sumHalf: bigint | null): ReportCell {
  const key = Object.fromEntries(query.dimensions.map((d, i) => [d, cell.key[i]!]));
  const noisy = (v: bigint | null, h: bigint | null): NoisyNumber | null => (v === null || h === null ? null : { value: Number(v), interval: [Number(v - h), Number(v + h)] });
  return { key, count: noisy(cell.count, countHalf), sum: noisy(cell.sum, sumHalf) };
}

function cmpKeys(a: readonly string[], b: readonly string[]): number {
  const x = JSON.stringify(a);
  const y = JSON.stringify(b);
  return x < y ? -1 : x > y ? 1 : 0;
}
