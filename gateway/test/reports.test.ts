import { env, runInDurableObject } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Env } from '../src/env.ts';
import { aggregateShard } from '../src/reports/count-aggregates.ts';
import { AGGREGATE_SHARDS } from '../src/reports/privacy-unit.ts';
import { site, seedSite } from './fixtures.ts';
import { ingest } from './consent-fixtures.ts';
import { clearPolicyCache } from '../src/consent/live-policy.ts';
import { ADMIN, call, countInto, dayOf, eventsFor, query, reportConfig, REPORTING, seedReportSite, closedDayMs, type Visit } from './reports-fixtures.ts';

async function shardTotals(siteId: string, day: string) {
  const rows = (await Promise.all(Array.from({ length: AGGREGATE_SHARDS }, (_, i) => aggregateShard(env as Env, siteId, i).totals(day, day)))).flat();
  return rows.map((r) => ({ ...r, partition: JSON.parse(r.partition) as Record<string, string> }));
}

const crowd = (n: number, visit: Omit<Visit, 'visitor'>, prefix: string): Visit[] => Array.from({ length: n }, (_, i) => ({ visitor: `${prefix}-${i}`, ...visit }));

describe('ingest hook: consented aggregation with contribution bounding', () => {
  beforeAll(async () => {
    await seedSite();
    await seedReportSite(site.id);
  });

  it('counts consented events through POST /v1/batch, per unit and partition, and nothing else', async () => {
    const today = dayOf(Date.now());
    const events = eventsFor([
      { visitor: 'hook-1', campaign: 'spring', value: 12.34 },
      { visitor: 'hook-1', campaign: 'spring', value: 1 }, // same unit, same partition: counted once, values add
      { visitor: 'hook-2', campaign: 'spring' },
      { visitor: 'hook-3', campaign: 'spring', consent: 'denied' }, // measurement denied: not counted
      { visitor: 'hook-4', campaign: 'spring', event: 'AddToCart' }, // not a reported event
    ]);
    const { response } = await ingest(events, { cf: { country: 'DE' } });
    expect(response.status).toBe(200);
    const rows = await shardTotals(site.id, today);
    // Each visitor lives in one shard; a release merges the shards' rows of a partition.
    expect(new Set(rows.map((r) => JSON.stringify(r.partition)))).toEqual(
      new Set([JSON.stringify({ event: 'Purchase', utmCampaign: 'spring', utmSource: '(none)', creative: '(none)', experiment: '(none)', arm: '(none)', countryGroup: 'eu' })]),
    );
    expect(rows.reduce((n, r) => n + r.units, 0)).toBe(2);
    expect(rows.reduce((n, r) => n + r.value, 0)).toBe(1234 + 100 + 1000); // integer cents, no float rounding
  });

  it('bounds a unit to L0 partitions and C per partition, and stores no raw visitor id', async () => {
    const at = Date.now() - 5 * 86_400_000;
    const greedy: Visit[] = ['spring', 'summer', 'autumn', 'winter'].flatMap((campaign) => [
      { visitor: 'greedy-visitor', campaign, value: 1_000_000 },
      { visitor: 'greedy-visitor', campaign, value: 1_000_000 },
    ]);
    await countInto(site, greedy, at);
    const rows = await shardTotals(site.id, dayOf(at));
    expect(rows.reduce((n, r) => n + r.units, 0)).toBe(2); // L0 = 2
    expect(rows.reduce((n, r) => n + r.value, 0)).toBe(2 * 10_000); // C = 10 000 minor units per partition
    // Which two of the four campaigns is a reservoir sample; each kept one holds exactly C.
    const kept = rows.filter((r) => r.units > 0);
    expect(kept).toHaveLength(2);
    for (const r of kept) expect(r.value).toBe(10_000);
    expect(kept.every((r) => ['spring', 'summer', '(other)'].includes(r.partition.utmCampaign!))).toBe(true);
    for (let shard = 0; shard < AGGREGATE_SHARDS; shard++) {
      const stub = aggregateShard(env as Env, site.id, shard);
      const dump = await runInDurableObject(stub, (_obj, state) => JSON.stringify(state.storage.sql.exec('SELECT * FROM units').toArray()));
      expect(dump).not.toContain('greedy-visitor');
    }
  });

  it('counts nothing for a site without a consent policy', async () => {
    const s = await seedReportSite('no-policy-shop');
    const at = Date.now() - 6 * 86_400_000;
    await countInto(s, crowd(5, { campaign: 'spring' }, 'np'), at);
    expect((await shardTotals(s.id, dayOf(at))).reduce((n, r) => n + r.units, 0)).toBe(5); // with the policy: counted
    await env.CONFIG.delete('policy:no-policy-shop');
    clearPolicyCache();
    const later = at + 86_400_000;
    await countInto(s, crowd(5, { campaign: 'spring' }, 'np'), later);
    expect(await shardTotals(s.id, dayOf(later))).toEqual([]);
  });
});

describe('report API', () => {
  // k = 60 against 200 and 2 visitors: far from the noise (scale ≤ 4), so suppression is not left to chance.
  const generous = { ...reportConfig, kFloor: 60, budget: { ...reportConfig.budget, epsilonPerDay: '4' } };
  const at = closedDayMs();
  const day = dayOf(at);

  beforeAll(async () => {
    const s = await seedReportSite('report-shop', generous);
    await countInto(
      s,
      [
        ...crowd(200, { campaign: 'spring', creative: 'c1', source: 'newsletter', value: 25 }, 'big'),
        ...crowd(2, { campaign: 'summer', creative: 'c2', source: 'rare', value: 99 }, 'small'),
      ],
      at,
    );
    await seedReportSite('empty-shop', generous);
  });

  it('answers counts and sums with ε spent, noise scale and 95 % intervals per cell', async () => {
    const response = await query('report-shop', { metrics: ['count', 'sum'], dimensions: ['utmCampaign'], from: day, to: day, epsilon: '1' });
    expect(response.status).toBe(200);
    const body = (await response.json()) as any;
    expect(body.stored).toBe(false);
    expect(body.epsilon).toMatchObject({ spent: '1', count: '1/2', sum: '1/2', chargedPerDay: [day] });
    expect(body.noise.mechanism).toBe('discrete_laplace');
    expect(body.noise.count).toMatchObject({ sensitivity: 2, scale: '4' }); // L0 / ε_count
    expect(body.noise.sum).toMatchObject({ sensitivity: 20_000, scale: '40000' }); // L0·C / ε_sum
    expect(body.cells.map((c: any) => c.key.utmCampaign)).toEqual(['spring', 'summer', '(none)', '(other)']);
    const spring = body.cells[0];
    const h = body.noise.count.halfWidth95;
    expect(spring.count.interval).toEqual([spring.count.value - h, spring.count.value + h]);
    expect(Math.abs(spring.count.value - 200)).toBeLessThanOrEqual(3 * h);
    expect(Number.isInteger(spring.count.value) && Number.isInteger(spring.sum.value)).toBe(true);
    // summer has 2 visitors, under k = 60: withheld, shaped exactly like the empty campaigns.
    expect(body.cells.slice(1).map((c: any) => ({ count: c.count, sum: c.sum }))).toEqual([
      { count: null, sum: null },
      { count: null, sum: null },
      { count: null, sum: null },
    ]);
  });

  it('every release and report-config change is in the append-only admin audit log, with the token id and the ε spent', async () => {
    // A site of its own, so the budget and debits the other tests check are untouched.
    await seedReportSite('audit-report-shop');
    const auditDay = day;
    const response = await query('audit-report-shop', { metrics: ['count'], dimensions: ['utmCampaign'], from: auditDay, to: auditDay, epsilon: '1/4' });
    expect(response.status).toBe(200);
    const { releaseId } = (await response.json()) as { releaseId: string };
    const audit = await call('/v1/admin/privacy/audit?site=audit-report-shop&limit=50', { headers: ADMIN });
    const rows = ((await audit.json()) as { entries?: any[]; rows?: any[] });
    const entries = (rows.entries ?? rows.rows ?? rows) as any[];
    const release = entries.find((e) => e.action === 'report.release' && e.detail?.releaseId === releaseId);
    expect(release).toMatchObject({ siteId: 'audit-report-shop', detail: { epsilon: '1/4', days: [auditDay] } });
    expect(release.actor).toMatch(/^reporting:[0-9a-f]{12}$/);
    expect(JSON.stringify(release)).not.toContain(REPORTING.authorization.slice('Bearer '.length));
    const config = entries.find((e) => e.action === 'report.config.put');
    expect(config.actor).toMatch(/^admin:[0-9a-f]{12}$/);
  });

  it('suppressed and empty cells are indistinguishable, and so are a busy and an empty site', async () => {
    const body = { metrics: ['count'], dimensions: ['creative'], from: day, to: day, epsilon: '1' };
    const busy = await query('report-shop', body);
    const empty = await query('empty-shop', body);
    expect(busy.status).toBe(empty.status);
    expect([...busy.headers.keys()].sort()).toEqual([...empty.headers.keys()].sort());
    const b = (await busy.json()) as any;
    const e = (await empty.json()) as any;
    const c2 = b.cells.find((c: any) => c.key.creative === 'c2'); // 2 visitors, suppressed
    const c3 = b.cells.find((c: any) => c.key.creative === 'c3'); // nobody
    expect({ ...c2, key: null }).toEqual({ ...c3, key: null });
    expect(e.cells.map((c: any) => c.key)).toEqual(b.cells.map((c: any) => c.key));
  });

  it('releases keys discovered in the data only through DP partition selection', async () => {
    const response = await query('report-shop', { metrics: ['count'], dimensions: ['utmSource'], from: day, to: day, epsilon: '1' });
    const body = (await response.json()) as any;
    expect(body.partitionSelection.threshold).toBeGreaterThanOrEqual(60);
    expect(body.cells.map((c: any) => c.key.utmSource)).toEqual(['newsletter']); // 'rare' (2 visitors) never appears
  });

  it('returns the stored answer for a repeated query instead of drawing new noise', async () => {
    const body = { metrics: ['count'], dimensions: ['day', 'utmCampaign'], from: day, to: day, epsilon: '1/4' };
    const first = (await (await query('report-shop', body)).json()) as any;
    const again = (await (await query('report-shop', { ...body, epsilon: 0.25 })).json()) as any; // same exact ε
    expect(again.stored).toBe(true);
    expect(again.releaseId).toBe(first.releaseId);
    expect(again.cells).toEqual(first.cells);
    const ledger = (await (await call('/v1/reports/report-shop/ledger', { headers: REPORTING })).json()) as any;
    expect(ledger.debits.filter((d: any) => d.releaseId === first.releaseId)).toHaveLength(1);
  });

  it('audits every debit and refuses clearly once a day is spent', async () => {
    // Cap 4 per day; earlier tests spent 1 + 1 + 1 + 1/4 on `day`: 1 more does not fit, nothing is charged.
    const refused = await query('report-shop', { metrics: ['count'], dimensions: ['event'], from: day, to: day, epsilon: '1' });
    expect(refused.status).toBe(403);
    const error = (await refused.json()) as any;
    expect(error.error.code).toBe('budget_exhausted');
    expect(error.error.message).not.toMatch(/\d/);
    const ledger = (await (await call('/v1/reports/report-shop/ledger', { headers: ADMIN })).json()) as any;
    expect(ledger.capPerDay).toBe('4');
    for (const d of ledger.debits) {
      expect(d.queryHash).toMatch(/^[0-9a-f]{64}$/);
      expect(d.caller).toBe('reporting');
      expect(typeof d.at).toBe('number');
      expect(d.days).toEqual([day]);
    }
    const spent = ledger.spent.find((s: any) => s.day === day).epsilon;
    expect(spent).toBe('13/4');
    expect(ledger.debits).toHaveLength(4);
  });
});

describe('report API with discrete Gaussian noise', () => {
  const at = closedDayMs();
  const day = dayOf(at);

  beforeAll(async () => {
    // 120 visitors: far above the Gaussian partition-selection threshold (≈ 45 here), so the test is not flaky.
    await countInto(await seedReportSite('gauss-shop'), crowd(120, { campaign: 'spring', source: 'newsletter', value: 25 }, 'g'), at);
  });

  it('answers with the variance, ρ and intervals, and charges (ε, δ) per day', async () => {
    const response = await query('gauss-shop', { metrics: ['count', 'sum'], dimensions: ['utmCampaign'], from: day, to: day, epsilon: '1', noise: 'gaussian' });
    expect(response.status).toBe(200);
    const body = (await response.json()) as any;
    expect(body.noise.mechanism).toBe('discrete_gaussian');
    expect(body.delta).toBe('1/10000000');
    // Grouped by one of six recorded dimensions: up to L0 = 2 of a unit's partitions fall into one cell.
    expect(body.noise.count).toMatchObject({ l2SensitivitySquared: 2 * 2, variance: expect.stringMatching(/^\d+(\/\d+)?$/) });
    expect(body.noise.sum).toMatchObject({ l2SensitivitySquared: 2 * 2 * 10_000 * 10_000 });
    const spring = body.cells.find((c: any) => c.key.utmCampaign === 'spring');
    const h = body.noise.count.halfWidth95;
    expect(spring.count.interval).toEqual([spring.count.value - h, spring.count.value + h]);
    expect(Math.abs(spring.count.value - 120)).toBeLessThanOrEqual(2 * h);
    const discovered = (await (await query('gauss-shop', { metrics: ['count'], dimensions: ['utmSource'], from: day, to: day, epsilon: '1', noise: 'gaussian' })).json()) as any;
    expect(discovered.delta).toBe('11/10000000'); // Gaussian δ + partition-selection δ
    expect(discovered.cells.map((c: any) => c.key.utmSource)).toEqual(['newsletter']);
    const ledger = (await (await call('/v1/reports/gauss-shop/ledger', { headers: REPORTING })).json()) as any;
    expect(ledger.spent).toEqual([{ day, epsilon: '2', delta: '3/2500000' }]);
  });
});
