import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { empiricalEpsilon, seededSource } from '@sluice/privacy/testing';
import type { Env } from '../src/env.ts';
import { ReportConfig } from '../src/reports/report-config.ts';
import { parseReportQuery } from '../src/reports/report-query.ts';
import { runReport } from '../src/reports/run-report.ts';
import { countInto, dayOf, reportConfig, seedReportSite, closedDayMs, type Visit } from './reports-fixtures.ts';

/**
 * End to end through the real shards: two sites whose data differ by one visitor's full
 * contribution (every campaign, many purchases far above the cap). The release path after the
 * ledger (merge, group, noise, floors) is run many times on each; an attacker's best statistics
 * must not separate them by more than the ε spent.
 */
describe('differencing two reports that differ by one visitor (workerd, real shards)', () => {
  const at = closedDayMs();
  const day = dayOf(at);
  const crowd: Visit[] = Array.from({ length: 40 }, (_, i) => ({ visitor: `d${i}`, campaign: i % 2 ? 'spring' : 'summer', value: 50 }));
  const canary: Visit[] = ['spring', 'summer', 'autumn'].flatMap((campaign) => Array.from({ length: 3 }, () => ({ visitor: 'canary', campaign, value: 1_000_000 })));

  beforeAll(async () => {
    await countInto(await seedReportSite('diff-without'), crowd, at);
    await countInto(await seedReportSite('diff-with'), [...crowd, ...canary], at);
  });

  it('the empirical ε of counts and sums stays within the ε spent', async () => {
    const config = ReportConfig.parse({ ...reportConfig, kFloor: 0 });
    const parsed = parseReportQuery({ metrics: ['count', 'sum'], dimensions: ['utmCampaign'], from: day, to: day, epsilon: '1' }, config, Date.now());
    if (!parsed.ok) throw new Error(parsed.message);
    const N = 250;
    const stats = async (siteId: string, seed: number) => {
      const rng = seededSource(seed);
      const count: number[] = [];
      const total: number[] = [];
      for (let i = 0; i < N; i++) {
        const release = await runReport(env as Env, siteId, config, parsed.query, rng);
        count.push(release.cells.reduce((n, c) => n + (c.count?.value ?? 0), 0));
        total.push(release.cells.reduce((n, c) => n + (c.sum?.value ?? 0), 0));
      }
      return { count, total };
    };
    const a = await stats('diff-without', 1);
    const b = await stats('diff-with', 2);
    expect(empiricalEpsilon(a.count, b.count)).toBeLessThanOrEqual(1);
    expect(empiricalEpsilon(a.total, b.total)).toBeLessThanOrEqual(1);
    // Bounded at ingest, the canary moves the exact sum total by at most L0·C = 20 000 minor units
    // (unbounded it would be ~10^9). Noise: 4 cells of scale b = 40 000 (sd ≈ b√2 each), so the
    // difference of the two means has sd ≈ 4b/√N; allow six of them.
    const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(Math.abs(mean(b.total) - mean(a.total))).toBeLessThan(20_000 + (6 * 4 * 40_000) / Math.sqrt(N));
  });
});
