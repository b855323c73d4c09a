import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Env } from '../src/env.ts';
import { budgetLedger } from '../src/reports/budget-ledger.ts';
import { ADMIN, call, countInto, dayOf, query, reportConfig, REPORTING, seedReportSite, closedDayMs, type Visit } from './reports-fixtures.ts';

const debitOf = (queryHash: string, extra: Partial<{ idempotencyKey: string; epsilon: string; capPerDay: string; days: string[]; delta: string; deltaCapPerDay: string }> = {}) => ({
  queryHash,
  epsilon: '1',
  capPerDay: '1',
  days: ['2026-01-01'],
  caller: 'reporting',
  now: Date.now(),
  ...extra,
});

describe('budget ledger Durable Object under concurrent requests', () => {
  it('50 concurrent debits with budget for one: exactly one succeeds, nothing is overspent', async () => {
    const ledger = budgetLedger(env as Env, 'race-site');
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => ledger.debit(debitOf(`q${i}`))));
    expect(results.filter((r) => r.kind === 'debited')).toHaveLength(1);
    expect(results.filter((r) => r.kind === 'refused')).toHaveLength(49);
    const audit = await ledger.audit(100);
    expect(audit.spent).toEqual([{ day: '2026-01-01', epsilon: '1', delta: '0' }]);
    expect(audit.debits).toHaveLength(1);
  });

  it('exact rationals: ten debits of 1/10 fill a cap of 1 exactly, the eleventh is refused', async () => {
    const ledger = budgetLedger(env as Env, 'tenths-site');
    const results = await Promise.all(Array.from({ length: 11 }, (_, i) => ledger.debit(debitOf(`t${i}`, { epsilon: '1/10' }))));
    expect(results.filter((r) => r.kind === 'debited')).toHaveLength(10);
    expect((await ledger.audit(100)).spent[0]!.epsilon).toBe('1');
  });

  it('δ composes too: a day whose δ cap is spent refuses even with ε left', async () => {
    const ledger = budgetLedger(env as Env, 'delta-site');
    const discovered = { capPerDay: '10', delta: '1/1000000', deltaCapPerDay: '1/1000000' };
    expect(await ledger.debit(debitOf('d1', discovered))).toMatchObject({ kind: 'debited' });
    expect(await ledger.debit(debitOf('d2', discovered))).toEqual({ kind: 'refused' });
    expect(await ledger.debit(debitOf('d3', { ...discovered, delta: '0' }))).toMatchObject({ kind: 'debited' });
    expect((await ledger.audit(10)).spent).toEqual([{ day: '2026-01-01', epsilon: '2', delta: '1/1000000' }]);
  });

  it('idempotent retries: one debit, the rest wait for it, then get the stored answer', async () => {
    const ledger = budgetLedger(env as Env, 'retry-site');
    const request = debitOf('same-query', { idempotencyKey: 'retry-key-0001', capPerDay: '10' });
    const results = await Promise.all(Array.from({ length: 20 }, () => ledger.debit(request)));
    const debited = results.filter((r) => r.kind === 'debited');
    expect(debited).toHaveLength(1);
    expect(results.filter((r) => r.kind === 'pending')).toHaveLength(19);
    await ledger.complete((debited[0] as { debitId: string }).debitId, 'release-1');
    expect(await ledger.debit(request)).toMatchObject({ kind: 'stored', releaseId: 'release-1' });
    expect(await ledger.debit(debitOf('other-query', { idempotencyKey: 'retry-key-0001', capPerDay: '10' }))).toEqual({ kind: 'conflict' });
    expect((await ledger.audit(100)).spent[0]!.epsilon).toBe('1');
  });
});

describe('report API under concurrent requests', () => {
  const at = closedDayMs();
  const day = dayOf(at);
  const visits: Visit[] = Array.from({ length: 40 }, (_, i) => ({ visitor: `v${i}`, campaign: 'spring', creative: 'c1' }));

  beforeAll(async () => {
    for (const id of ['concurrent-a', 'concurrent-b']) await countInto(await seedReportSite(id), visits, at);
  });

  it('20 identical queries at once: one release, every answer is that release or "in progress"', async () => {
    const body = { metrics: ['count'], dimensions: ['utmCampaign'], from: day, to: day, epsilon: '1/2' };
    const responses = await Promise.all(Array.from({ length: 20 }, () => query('concurrent-a', body)));
    const statuses = responses.map((r) => r.status);
    expect(statuses.every((s) => s === 200 || s === 409)).toBe(true);
    const ok = (await Promise.all(responses.filter((r) => r.status === 200).map((r) => r.json()))) as any[];
    expect(ok.filter((b) => !b.stored)).toHaveLength(1);
    expect(new Set(ok.map((b) => b.releaseId)).size).toBe(1);
    const ledger = (await (await call('/v1/reports/concurrent-a/ledger', { headers: REPORTING })).json()) as any;
    expect(ledger.debits).toHaveLength(1);
    expect(ledger.spent).toEqual([{ day, epsilon: '1/2', delta: '0' }]);
  });

  it('30 different queries at once with budget for four: exactly four are released', async () => {
    const dims = ['day', 'event', 'utmCampaign', 'creative', 'experiment', 'arm', 'countryGroup', 'utmSource'];
    const shapes = dims.flatMap((a, i) => [[a], ...dims.slice(i + 1).map((b) => [a, b])]).slice(0, 30);
    const responses = await Promise.all(shapes.map((dimensions) => query('concurrent-b', { metrics: ['count'], dimensions, from: day, to: day, epsilon: '1/2' })));
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(4);
    expect(statuses.filter((s) => s === 403)).toHaveLength(26);
    const ledger = (await (await call('/v1/reports/concurrent-b/ledger', { headers: REPORTING })).json()) as any;
    expect(ledger.spent).toMatchObject([{ day, epsilon: '2' }]);
  });
});

describe('report API: no count leaks through errors or status', () => {
  const at = closedDayMs();
  const day = dayOf(at);
  beforeAll(async () => {
    await countInto(await seedReportSite('leak-busy'), Array.from({ length: 33 }, (_, i) => ({ visitor: `l${i}`, campaign: 'summer' })), at);
    await seedReportSite('leak-empty');
  });

  const bad: Array<[string, RequestInit]> = [
    ['malformed JSON', { method: 'POST', headers: REPORTING, body: '{oops' }],
    ['unknown dimension', { method: 'POST', headers: REPORTING, body: JSON.stringify({ metrics: ['count'], dimensions: ['page'], from: day, to: day, epsilon: '1' }) }],
    ['epsilon too large', { method: 'POST', headers: REPORTING, body: JSON.stringify({ metrics: ['count'], dimensions: [], from: day, to: day, epsilon: '5' }) }],
    ['today is not finished', { method: 'POST', headers: REPORTING, body: JSON.stringify({ metrics: ['count'], dimensions: [], from: day, to: dayOf(Date.now()), epsilon: '1' }) }],
    ['no token', { method: 'POST', body: '{}' }],
    ['wrong token', { method: 'POST', headers: { authorization: 'Bearer nope' }, body: '{}' }],
  ];

  it.each(bad)('%s: the same status and body whether the site has data or not, and no number from the data', async (_name, init) => {
    const busy = await call('/v1/reports/leak-busy/query', init);
    const empty = await call('/v1/reports/leak-empty/query', init);
    expect(busy.status).toBeGreaterThanOrEqual(400);
    expect(busy.status).toBeLessThan(500);
    expect(busy.status).toBe(empty.status);
    const text = await busy.text();
    expect(text).toBe(await empty.text());
    expect(JSON.parse(text)).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
    expect(text).not.toMatch(/\b33\b/);
  });

  it('an unknown site and a site without reports answer alike', async () => {
    const a = await call('/v1/reports/no-such-site/query', { method: 'POST', headers: REPORTING, body: '{}' });
    await env.CONFIG.put('site:bare-site', JSON.stringify({ id: 'bare-site', allowedOrigins: ['https://x.example'], destinations: {} }));
    const b = await call('/v1/reports/bare-site/query', { method: 'POST', headers: REPORTING, body: '{}' });
    expect(a.status).toBe(404);
    expect(await a.text()).toBe(await b.text());
  });
});

describe('report API: tokens, config and export', () => {
  const at = closedDayMs();
  const day = dayOf(at);
  beforeAll(async () => {
    await countInto(await seedReportSite('export-shop'), Array.from({ length: 50 }, (_, i) => ({ visitor: `e${i}`, campaign: 'spring', value: 19.99 })), at);
  });

  it('the reporting token reads but cannot change the config; the admin token can', async () => {
    const put = (headers: Record<string, string>) => call('/v1/reports/export-shop/config', { method: 'PUT', headers, body: JSON.stringify(reportConfig) });
    expect((await put(REPORTING)).status).toBe(401);
    expect((await put(ADMIN)).status).toBe(200);
    expect((await call('/v1/reports/export-shop/config', { headers: REPORTING })).status).toBe(200);
    const invalid = await call('/v1/reports/export-shop/config', { method: 'PUT', headers: ADMIN, body: JSON.stringify({ ...reportConfig, kFloor: -1 }) });
    expect(invalid.status).toBe(422);
  });

  it('exports released reports as CSV and NDJSON, noisy numbers only', async () => {
    const released = (await (await query('export-shop', { metrics: ['count', 'sum'], dimensions: ['utmCampaign'], from: day, to: day, epsilon: '1' })).json()) as any;
    const ndjson = await call('/v1/reports/export-shop/export?format=ndjson', { headers: REPORTING });
    expect(ndjson.headers.get('content-type')).toContain('application/x-ndjson');
    const rows = (await ndjson.text()).trim().split('\n').map((l) => JSON.parse(l));
    expect(rows).toHaveLength(released.cells.length);
    const spring = rows.find((r) => r.utmCampaign === 'spring');
    expect(spring).toMatchObject({ release_id: released.releaseId, count: released.cells[0].count.value, sum: released.cells[0].sum.value, epsilon: '1' });
    const summer = released.cells.find((c: any) => c.key.utmCampaign === 'summer'); // nobody: suppressed unless the noise says otherwise
    expect(rows.find((r) => r.utmCampaign === 'summer')).toMatchObject({ count: summer.count?.value ?? null, sum: summer.sum?.value ?? null });
    const csv = await call('/v1/reports/export-shop/export?format=csv', { headers: REPORTING });
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const lines = (await csv.text()).trim().split('\r\n');
    expect(lines[0]!.split(',')).toContain('count_low');
    expect(lines).toHaveLength(rows.length + 1);
    expect((await call('/v1/reports/export-shop/export?format=xml', { headers: REPORTING })).status).toBe(422);
  });
});
