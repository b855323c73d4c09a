import { describe, expect, it } from 'vitest';
import { formatRational } from '@sluice/privacy';
import { ReportConfig } from './report-config.ts';
import { parseReportQuery } from './report-query.ts';
import { calibrateNoise } from './calibrate-noise.ts';

const config = ReportConfig.parse({ version: 1, events: ['Purchase'], dimensions: ['utmCampaign', 'arm'], catalogue: { utmCampaign: ['a'], arm: ['x'] }, bounds: { maxPartitionsPerUnit: 3, maxValuePerPartition: 100 } });
const queryOf = (dimensions: string[], noise = 'laplace', metrics = ['count', 'sum']) => {
  const r = parseReportQuery({ metrics, dimensions, from: '2026-01-01', to: '2026-01-01', epsilon: '1', noise }, config, Date.parse('2026-02-01T00:00:00Z'));
  if (!r.ok) throw new Error(r.message);
  return r.query;
};

describe('calibrateNoise', () => {
  it('Laplace: scale L0/ε_m for counts and L0·C/ε_m for sums, whatever the grouping', () => {
    const n = calibrateNoise(queryOf(['utmCampaign']), config, false);
    expect(n.count.spec).toEqual({ kind: 'laplace', scale: { num: 6n, den: 1n } }); // 3 / (1/2)
    expect(n.sum!.spec).toEqual({ kind: 'laplace', scale: { num: 600n, den: 1n } });
    expect(formatRational(n.delta)).toBe('0');
  });

  it('Gaussian: Δ₂² = L0 on full partitions, L0² when a coarse cell can hold all of a unit', () => {
    const fine = calibrateNoise(queryOf(['event', 'utmCampaign', 'arm', 'day'], 'gaussian'), config, false);
    const coarse = calibrateNoise(queryOf(['utmCampaign'], 'gaussian'), config, false);
    expect(fine.count.describe.l2SensitivitySquared).toBe(3);
    expect(coarse.count.describe.l2SensitivitySquared).toBe(9);
    expect(coarse.sum!.describe.l2SensitivitySquared).toBe(9 * 100 * 100);
    expect(formatRational(coarse.delta)).toBe('1/10000000');
  });

  it('partition selection: δ is charged and the threshold accounts for a unit merging into one key', () => {
    const fine = calibrateNoise(queryOf(['event', 'utmCampaign', 'arm'], 'laplace', ['count']), config, true);
    const coarse = calibrateNoise(queryOf(['utmCampaign'], 'laplace', ['count']), config, true);
    expect(coarse.threshold - fine.threshold).toBe(2n); // c = L0 = 3 instead of 1
    expect(formatRational(fine.delta)).toBe('1/1000000');
  });
});
