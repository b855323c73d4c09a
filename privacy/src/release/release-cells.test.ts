import { describe, expect, it } from 'vitest';
import { rational } from '../rational/rational.ts';
import { laplaceScale } from '../mechanism/laplace-mechanism.ts';
import { gaussianVarianceFor, rhoFor } from './gaussian-calibration.ts';
import { boundContribution, type ContributionBounds, type UnitState } from '../bounding/bound-contribution.ts';
import { applyBoundedStep } from '../bounding/apply-bounded-step.ts';
import { sensitivities } from '../bounding/sensitivity.ts';
import { empiricalEpsilon, seededSource } from '../testing/index.ts';
import { releaseCells, type ReleaseParams, type TrueCell } from './release-cells.ts';

const PARTITIONS = ['spring', 'summer', 'autumn', 'winter'];
const bounds: ContributionBounds = { maxPartitions: 2n, maxValue: 1000n };

/** A unit's raw events → bounded contributions → per-partition totals, like ingest does. */
function aggregate(units: Array<Array<[string, bigint]>>, bound = true): TrueCell[] {
  const totals = new Map(PARTITIONS.map((p) => [p, { count: 0n, sum: 0n }]));
  const rng = seededSource(99);
  for (const events of units) {
    if (!bound) {
      for (const partition of new Set(events.map(([p]) => p))) totals.get(partition)!.count++;
      for (const [partition, value] of events) totals.get(partition)!.sum += value;
      continue;
    }
    let state: UnitState = { kept: [], dropped: [] };
    for (const [partition, value] of events) state = applyBoundedStep(state, partition, boundContribution(state, partition, value, bounds, rng));
    for (const { partition, value } of state.kept) {
      totals.get(partition)!.count++;
      totals.get(partition)!.sum += value;
    }
  }
  return PARTITIONS.map((p) => ({ key: [p], count: totals.get(p)!.count, sum: totals.get(p)!.sum, public: true }));
}

const s = sensitivities(bounds);
const half = rational(1n, 2n);
const params: ReleaseParams = {
  count: { kind: 'laplace', scale: laplaceScale(s.count, half) },
  sum: { kind: 'laplace', scale: laplaceScale(s.sum, half) },
  kFloor: 0n,
  selectionThreshold: 0n,
};
/** ε_count + ε_sum. */
const spent = 1;

// 60 ordinary visitors, and a canary who buys big in every campaign many times.
const crowd: Array<Array<[string, bigint]>> = Array.from({ length: 60 }, (_, i) => [[PARTITIONS[i % 4]!, BigInt(100 + i)]]);
const canary: Array<[string, bigint]> = PARTITIONS.flatMap((p) => [[p, 1_000_000n], [p, 1_000_000n]] as Array<[string, bigint]>);

/** Attacker statistics on one release: the canary's first cell count, and the total of all sums. */
function trials(cells: TrueCell[], n: number, seed: number): { count: number[]; total: number[] } {
  const rng = seededSource(seed);
  const count: number[] = [];
  const total: number[] = [];
  for (let i = 0; i < n; i++) {
    const out = releaseCells(cells, params, rng);
    count.push(Number(out[0]!.count));
    total.push(Number(out.reduce((t, c) => t + (c.sum ?? 0n), 0n)));
  }
  return { count, total };
}

describe('releaseCells: differencing two reports that differ by one visitor', () => {
  const N = 6000;

  it('stays within the spent ε by an empirical likelihood-ratio check', () => {
    const without = trials(aggregate(crowd), N, 1);
    const withCanary = trials(aggregate([...crowd, canary]), N, 2);
    const epsCount = empiricalEpsilon(without.count, withCanary.count);
    const epsTotal = empiricalEpsilon(without.total, withCanary.total);
    expect(epsCount).toBeLessThanOrEqual(spent);
    expect(epsTotal).toBeLessThanOrEqual(spent);
  });

  it('the same check catches a release without contribution bounding (the test has power)', () => {
    const without = trials(aggregate(crowd, false), N, 3);
    const withCanary = trials(aggregate([...crowd, canary], false), N, 4);
    expect(empiricalEpsilon(without.total, withCanary.total)).toBeGreaterThan(5 * spent);
  });
});

describe('releaseCells: floors', () => {
  const rng = seededSource(8);
  const strict: ReleaseParams = { count: { kind: 'laplace', scale: laplaceScale(s.count, rational(50n)) }, sum: { kind: 'laplace', scale: laplaceScale(s.sum, rational(50n)) }, kFloor: 10n, selectionThreshold: 20n };

  it('a suppressed public cell and an empty public cell look the same', () => {
    const out = releaseCells([{ key: ['small'], count: 3n, sum: 300n, public: true }, { key: ['empty'], count: 0n, sum: 0n, public: true }], strict, rng);
    expect(out).toEqual([{ key: ['small'], count: null, sum: null }, { key: ['empty'], count: null, sum: null }]);
  });

  it('a public cell above k is released with noisy numbers', () => {
    const [cell] = releaseCells([{ key: ['big'], count: 500n, sum: 9000n, public: true }], strict, rng);
    expect(cell!.count).not.toBeNull();
    expect(typeof cell!.count).toBe('bigint');
  });

  it('a discovered key must pass max(k, T); below it the row does not exist', () => {
    const out = releaseCells([{ key: ['rare'], count: 15n, sum: 0n, public: false }, { key: ['common'], count: 500n, sum: 0n, public: false }], strict, rng);
    expect(out.map((c) => c.key[0])).toEqual(['common']);
  });
});

describe('releaseCells with discrete Gaussian noise', () => {
  it('differencing stays within the (ε, δ) the calibration promises', () => {
    const rho = rhoFor(0.5, 1e-7);
    const gaussian: ReleaseParams = {
      count: { kind: 'gaussian', variance: gaussianVarianceFor(bounds.maxPartitions, rho) },
      sum: { kind: 'gaussian', variance: gaussianVarianceFor(bounds.maxPartitions * bounds.maxValue * bounds.maxValue, rho) },
      kFloor: 0n,
      selectionThreshold: 0n,
    };
    const run = (cells: TrueCell[], seed: number) => {
      const rng = seededSource(seed);
      return Array.from({ length: 4000 }, () => Number(releaseCells(cells, gaussian, rng).reduce((t, c) => t + (c.sum ?? 0n), 0n)));
    };
    expect(empiricalEpsilon(run(aggregate(crowd), 5), run(aggregate([...crowd, canary]), 6))).toBeLessThanOrEqual(spent);
  });
});
