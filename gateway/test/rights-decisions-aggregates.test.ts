import { createExecutionContext, env, runInDurableObject, waitOnExecutionContext } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import worker from '../src/index.ts';
import type { Env } from '../src/env.ts';
import { banditStub } from '../src/decide/bandit-stub.ts';
import { visitorKey } from '../src/decide/visitor-key.ts';
import { aggregateShard } from '../src/reports/count-aggregates.ts';
import { privacyUnit, utcDay } from '../src/reports/privacy-unit.ts';
import { runRetention } from '../src/rights/run-retention.ts';
import { clearSiteConfigCache } from '../src/site-config/load-site-config.ts';
import { ORIGIN, trackEvent } from './fixtures.ts';
import { ADMIN, countInto, seedReportSite } from './reports-fixtures.ts';

// Deletion and retention reach the decision log (D1 rows, the bandit's sticky arms and exposure
// counts, pending decisions) and the aggregates not yet released (today's privacy unit).

const SITE = 'rights-dec';
const KEY = 'rights_dec_key_0001';
const E = env as unknown as Env;
const P = { anonymousId: 'anon-forget-decisions-01', email: 'forget.decisions@example.org' };
const Q = { anonymousId: 'anon-keep-decisions-002', email: 'keep.decisions@example.org' };

async function call(path: string, init: RequestInit = {}) {
  const ctx = createExecutionContext();
  const response = await worker.fetch(new Request(`https://gw.example${path}`, init), E, ctx);
  await waitOnExecutionContext(ctx);
  return { status: response.status, body: (await response.json().catch(() => null)) as any };
}

const decide = (visitorId: string) =>
  call(`/v1/decide?key=${KEY}`, { method: 'POST', headers: { origin: ORIGIN, 'content-type': 'application/json' }, body: JSON.stringify({ experiment: 'hero', context: { device: 'mobile' }, visitorId }) });

const ingest = (person: typeof P, decisionId: string) =>
  call(`/v1/batch?key=${KEY}`, {
    method: 'POST',
    headers: { origin: ORIGIN, 'content-type': 'text/plain' },
    body: JSON.stringify({ sentAt: new Date().toISOString(), events: [trackEvent({ anonymousId: person.anonymousId, user: { email: person.email }, properties: { value: 5, currency: 'eur', decisionIds: [decisionId] } })] }),
  });

const forget = (ids: Record<string, string>) => call('/v1/admin/privacy/deletions', { method: 'POST', headers: ADMIN, body: JSON.stringify({ siteId: SITE, ...ids }) });

const decisionRow = (id: string) => E.DB.prepare('SELECT decision_id FROM decisions WHERE decision_id = ?').bind(id).first();

async function banditRows(visitor: string) {
  return runInDurableObject(banditStub(E, SITE, 'hero'), (_, state) => ({
    sticky: state.storage.sql.exec<{ n: number }>('SELECT COUNT(*) AS n FROM sticky WHERE visitor = ?', visitor).one().n,
    exposures: state.storage.sql.exec<{ n: number }>('SELECT COUNT(*) AS n FROM exposures WHERE visitor = ?', visitor).one().n,
  }));
}

beforeAll(async () => {
  await seedReportSite(SITE);
  await E.CONFIG.put(`writekey:${KEY}`, SITE);
  clearSiteConfigCache();
  const put = await call(`/v1/admin/sites/${SITE}/experiments/hero`, {
    method: 'PUT',
    headers: ADMIN,
    body: JSON.stringify({
      slot: 'hero',
      arms: [{ id: 'classic', payload: {} }, { id: 'sale', payload: {} }],
      defaultArm: 'classic',
      algorithm: { type: 'uniform' },
      context: { features: [{ name: 'device', type: 'category', values: ['mobile', 'desktop'] }], dimension: 3 },
      sticky: true,
      guardrails: { frequencyCap: 100 },
      budgetMs: 1000,
    }),
  });
  expect(put.status).toBe(200);
});

describe('deletion reaches the decision log', () => {
  it("removes the decisions the person's events carried (found through the subject index) and, given the anonymous id, their sticky arm and exposures; the other visitor keeps theirs", async () => {
    const dP = (await decide(P.anonymousId)).body.decisionId as string;
    const dQ = (await decide(Q.anonymousId)).body.decisionId as string;
    expect(dP).toMatch(/^hero\./);
    expect((await ingest(P, dP)).status).toBe(200);
    expect((await ingest(Q, dQ)).status).toBe(200);
    await banditStub(E, SITE, 'hero').flushLog();
    expect(await decisionRow(dP)).not.toBeNull();
    expect(await decisionRow(dQ)).not.toBeNull();
    const [vP, vQ] = [await visitorKey(SITE, P.anonymousId), await visitorKey(SITE, Q.anonymousId)];
    expect(await banditRows(vP)).toEqual({ sticky: 1, exposures: 1 });

    // By email only: the decision goes (the index lists it with the person's event), the bandit's
    // visitor state cannot be computed from an email and stays.
    const byEmail = await forget({ email: P.email });
    expect(byEmail.status).toBe(201);
    expect(byEmail.body.stores['decision log'].removed).toBeGreaterThanOrEqual(1);
    expect(await decisionRow(dP)).toBeNull();
    expect(await decisionRow(dQ)).not.toBeNull();
    await banditStub(E, SITE, 'hero').flushLog();
    expect(await decisionRow(dP)).toBeNull(); // the write-behind cannot put it back

    // By anonymous id: sticky arm and exposures of that visitor go, the other visitor's stay.
    const byAnon = await forget({ anonymousId: P.anonymousId });
    expect(byAnon.body.stores['decision log'].removed).toBe(2);
    expect(await banditRows(vP)).toEqual({ sticky: 0, exposures: 0 });
    expect(await banditRows(vQ)).toEqual({ sticky: 1, exposures: 1 });
  });

  it('a decision still in the write-behind outbox is forgotten too, so a later flush cannot write it', async () => {
    const d = (await decide('anon-unflushed-visitor-3')).body.decisionId as string;
    expect((await ingest({ anonymousId: 'anon-unflushed-visitor-3', email: 'unflushed@example.org' }, d)).status).toBe(200);
    await forget({ email: 'unflushed@example.org' });
    await banditStub(E, SITE, 'hero').flushLog();
    expect(await decisionRow(d)).toBeNull();
  });
});

describe('deletion reaches aggregates not yet released', () => {
  it("takes today's privacy unit of the anonymous id out of the shard's units and totals", async () => {
    const now = Date.now();
    const visitor = 'anon-forget-aggregates-1';
    await countInto({ id: SITE } as any, [{ visitor, value: 30 }, { visitor: 'anon-keep-aggregates-22', value: 20 }], now);
    const day = utcDay(now);
    const unit = await privacyUnit(SITE, visitor, day);
    const shard = aggregateShard(E, SITE, unit.shard);
    const before = await runInDurableObject(shard, (_, state) => ({
      units: state.storage.sql.exec<{ n: number }>('SELECT COUNT(*) AS n FROM units WHERE day = ? AND unit = ?', day, unit.id).one().n,
      total: state.storage.sql.exec<{ u: number }>('SELECT COALESCE(SUM(units), 0) AS u FROM totals WHERE day = ?', day).one().u,
    }));
    expect(before.units).toBeGreaterThan(0);
    const deletion = await forget({ anonymousId: visitor });
    expect(deletion.body.stores.aggregates.removed).toBe(before.units);
    const after = await runInDurableObject(shard, (_, state) => ({
      units: state.storage.sql.exec<{ n: number }>('SELECT COUNT(*) AS n FROM units WHERE day = ? AND unit = ?', day, unit.id).one().n,
      total: state.storage.sql.exec<{ u: number }>('SELECT COALESCE(SUM(units), 0) AS u FROM totals WHERE day = ?', day).one().u,
    }));
    expect(after.units).toBe(0);
    expect(after.total).toBe(before.total - before.units);
  });
});

describe('retention reaches the decision log and pre-release aggregates', () => {
  it('deletes decision rows and aggregate totals older than their TTL, and keeps younger ones', async () => {
    const now = Date.now();
    const DAY = 86_400_000;
    const insert = (id: string, at: number) =>
      E.DB.prepare(
        "INSERT INTO decisions (decision_id, site_id, experiment_id, at, arm, arm_index, propensity, context, policy_version, holdout, fallback, reason, expires_at) VALUES (?, ?, 'hero', ?, 'classic', 0, 0.5, '[]', '1.0', 0, 0, 'policy', ?)",
      ).bind(id, SITE, at, now + 365 * DAY).run();
    await insert('hero.00000000-0000-4000-8000-000000000001', now - 91 * DAY);
    await insert('hero.00000000-0000-4000-8000-000000000002', now - 10 * DAY);
    const shard = aggregateShard(E, SITE, 0);
    await runInDurableObject(shard, (_, state) => {
      state.storage.sql.exec("INSERT OR REPLACE INTO totals (day, partition, units, value) VALUES (?, 'p', 3, 30)", utcDay(now - 401 * DAY));
      state.storage.sql.exec("INSERT OR REPLACE INTO totals (day, partition, units, value) VALUES (?, 'p', 3, 30)", utcDay(now - 30 * DAY));
    });
    const run = await runRetention(E, now);
    expect(run.bySite[SITE]?.['decision log']).toBe(1);
    expect(run.bySite[SITE]?.aggregates).toBeGreaterThanOrEqual(1);
    expect(await decisionRow('hero.00000000-0000-4000-8000-000000000001')).toBeNull();
    expect(await decisionRow('hero.00000000-0000-4000-8000-000000000002')).not.toBeNull();
    const days = await runInDurableObject(shard, (_, state) => state.storage.sql.exec<{ day: string }>('SELECT day FROM totals ORDER BY day').toArray().map((r) => r.day));
    expect(days).not.toContain(utcDay(now - 401 * DAY));
    expect(days).toContain(utcDay(now - 30 * DAY));
  });
});
