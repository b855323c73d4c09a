import { createExecutionContext, env, runInDurableObject, waitOnExecutionContext } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { seededRng } from '@sluice/edge-models/bandits';
import { createBacktest } from '../../edge-models/src/cli/backtest.ts';
import worker from '../src/index.ts';
import type { Env } from '../src/env.ts';
import { applyReward } from '../src/decide/apply-reward.ts';
import { banditSnapshot, banditStub } from '../src/decide/bandit-stub.ts';
import { experimentKey } from '../src/decide/live-experiment.ts';
import { experimentOfDecision } from '../src/decide/reward-for.ts';
import { ORIGIN, WRITE_KEY, batchOf, seedSite, site, trackEvent } from './fixtures.ts';

const ADMIN = { authorization: 'Bearer test-admin-token-0123456789', 'content-type': 'application/json' };
const E = env as unknown as Env;

async function call(path: string, init: RequestInit = {}) {
  const ctx = createExecutionContext();
  const response = await worker.fetch(new Request(`https://gw.example${path}`, init), E, ctx);
  await waitOnExecutionContext(ctx);
  const text = await response.text();
  let body: any = text;
  try {
    body = JSON.parse(text);
  } catch {}
  return { status: response.status, body, text };
}

const experiment = (overrides: Record<string, unknown> = {}) => ({
  slot: 'hero',
  arms: [
    { id: 'classic', payload: { title: 'Classic' } },
    { id: 'sale', payload: { title: 'Sale' }, cost: 0.5 },
    { id: 'new', payload: { title: 'New in' } },
  ],
  defaultArm: 'classic',
  algorithm: { type: 'thompson' },
  context: { features: [{ name: 'device', type: 'category', values: ['mobile', 'desktop'] }], dimension: 3 },
  floor: 0.02,
  // Generous: these tests are about behaviour, not latency (a cold object on a loaded 2-core CI
  // machine can miss the 50 ms default, and then the honest fallback would serve the default arm).
  budgetMs: 1000,
  ...overrides,
});

const put = (id: string, doc: unknown) => call(`/v1/admin/sites/${site.id}/experiments/${id}`, { method: 'PUT', headers: ADMIN, body: JSON.stringify(doc) });
const decide = (id: string, context: unknown = { device: 'mobile' }, visitorId?: string, origin = ORIGIN) =>
  call(`/v1/decide?key=${WRITE_KEY}`, { method: 'POST', headers: { origin, 'content-type': 'application/json' }, body: JSON.stringify({ experiment: id, context, ...(visitorId ? { visitorId } : {}) }) });
const reward = (decisionId: string, value: number) =>
  call(`/v1/reward?key=${WRITE_KEY}`, { method: 'POST', headers: { origin: ORIGIN, 'content-type': 'application/json' }, body: JSON.stringify({ decisionId, reward: value }) });
/** The D1 row of a decision, after the experiment's object has written out its outbox. */
async function logged(decisionId: string) {
  await banditStub(E, site.id, experimentOfDecision(decisionId)!).flushLog();
  return env.DB.prepare('SELECT * FROM decisions WHERE decision_id = ?').bind(decisionId).first<Record<string, any>>();
}

beforeAll(async () => {
  await seedSite();
});

describe('experiments admin API', () => {
  it('rejects invalid experiments with a path, versions every change in D1 and bumps the policy version', async () => {
    const bad = await put('adm', experiment({ defaultArm: 'nope' }));
    expect(bad.status).toBe(422);
    expect(bad.body.error.message).toMatch(/^defaultArm/);
    expect((await put('adm', experiment({ context: { features: [], dimension: 4 } }))).body.error.message).toMatch(/dimension/);
    expect((await put('adm', experiment({ floor: 0.5 }))).body.error.message).toMatch(/floor/);
    expect((await call(`/v1/admin/sites/${site.id}/experiments/adm`, { method: 'PUT', body: '{}' })).status).toBe(401);
    const v1 = await put('adm', experiment());
    expect(v1.body).toMatchObject({ version: 1, policyVersion: '1.0', modelReset: true });
    const v2 = await call(`/v1/admin/sites/${site.id}/experiments/adm/status`, { method: 'POST', headers: ADMIN, body: JSON.stringify({ status: 'paused' }) });
    expect(v2.body).toMatchObject({ version: 2, policyVersion: '2.0', modelReset: false });
    const history = await call(`/v1/admin/sites/${site.id}/experiments/adm/history`, { headers: ADMIN });
    expect(history.body.versions.map((v: any) => [v.version, v.change])).toEqual([[2, 'status:paused'], [1, 'put']]);
    const old = await call(`/v1/admin/sites/${site.id}/experiments/adm/versions/1`, { headers: ADMIN });
    expect(old.body.experiment.status).toBe('running');
  });
});

describe('POST /v1/decide', () => {
  it('needs the write key and an allowed origin, and answers bad input with clear 4xx', async () => {
    await put('auth', experiment());
    expect((await call('/v1/decide', { method: 'POST', headers: { origin: ORIGIN }, body: '{}' })).status).toBe(401);
    expect((await decide('auth', {}, undefined, 'https://evil.example')).status).toBe(403);
    const malformed = await call(`/v1/decide?key=${WRITE_KEY}`, { method: 'POST', headers: { origin: ORIGIN }, body: '{' });
    expect(malformed).toMatchObject({ status: 400, body: { error: { code: 'malformed_json' } } });
    expect((await decide('nope')).status).toBe(404);
    expect((await decide('auth', [1, 2])).body.error.message).toMatch(/context/);
    expect((await decide('auth', { device: 7 })).status).toBe(422);
  });

  it('returns arm, payload, propensity, decisionId and policy version, and logs the featurized context only', async () => {
    await put('shape', experiment());
    const { status, body } = await decide('shape', { device: 'desktop', email: 'jane@example.com' });
    expect(status).toBe(200);
    expect(Object.keys(body).sort()).toEqual(['arm', 'decisionId', 'payload', 'policyVersion', 'propensity']);
    expect(['classic', 'sale', 'new']).toContain(body.arm);
    expect(body.payload).toHaveProperty('title');
    expect(body.propensity).toBeGreaterThanOrEqual(0.02);
    expect(body.decisionId).toMatch(/^shape\.[0-9a-f-]{36}$/);
    const row = await logged(body.decisionId);
    expect(row).toMatchObject({ arm: body.arm, propensity: body.propensity, policy_version: body.policyVersion, holdout: 0, fallback: 0 });
    expect(JSON.parse(row!.context)).toEqual([1, 0, 1]);
    expect(JSON.stringify(row)).not.toContain('jane');
  });

  it('concurrent decides against one Durable Object: every decision distinct and logged, every reward applied once', async () => {
    await put('busy', experiment());
    const decisions = await Promise.all(Array.from({ length: 40 }, (_, i) => decide('busy', { device: i % 2 ? 'mobile' : 'desktop' })));
    expect(decisions.every((d) => d.body.policyVersion === '1.0')).toBe(true);
    const ids = decisions.map((d) => d.body.decisionId);
    expect(new Set(ids).size).toBe(40);
    const rewards = await Promise.all(ids.map((id) => reward(id, 1)));
    expect(rewards.every((r) => r.body.status === 'applied')).toBe(true);
    const snapshot = await banditSnapshot(E, site.id, 'busy');
    expect(snapshot!.state.updates).toBe(40);
    expect(snapshot!.policyVersion).toBe('1.40');
    await banditStub(E, site.id, 'busy').flushLog();
    const { n } = (await env.DB.prepare("SELECT COUNT(*) AS n FROM decisions WHERE experiment_id = 'busy' AND reward = 1").first<{ n: number }>())!;
    expect(n).toBe(40);
  });

  it('a stopped experiment serves the default arm with propensity 1 (the kill switch)', async () => {
    await put('kill', experiment({ defaultArm: 'new' }));
    await call(`/v1/admin/sites/${site.id}/experiments/kill/status`, { method: 'POST', headers: ADMIN, body: JSON.stringify({ status: 'stopped' }) });
    for (let i = 0; i < 10; i++) {
      const { body } = await decide('kill');
      expect(body).toMatchObject({ arm: 'new', propensity: 1, payload: { title: 'New in' } });
    }
  });

  it('serves the default arm honestly when the Durable Object cannot answer (fallback, propensity 1, logged as such)', async () => {
    // Live in KV, but the object was never configured: it answers "unconfigured", as a failing object would.
    await env.CONFIG.put(experimentKey(site.id, 'orphan'), JSON.stringify({ id: 'orphan', version: 3, experiment: { ...experiment(), budgetMs: 50 }, updatedAt: 0 }));
    const { body } = await decide('orphan');
    expect(body).toMatchObject({ arm: 'classic', propensity: 1, policyVersion: '3.fallback' });
    expect(await logged(body.decisionId)).toMatchObject({ fallback: 1, propensity: 1, reason: 'fallback' });
  });

  it('past the time budget the default arm is served, and the late decision of the object is voided, not logged', async () => {
    // 20 arms with a strong prior: the first Thompson integral (~20k Beta CDFs, each a long
    // continued fraction) takes many times the 1 ms budget on any machine.
    // In miniflare the object runs in the worker's own isolate, so its CPU blocks the budget's timer
    // too and the race can, rarely, go to the object: try fresh experiments until one falls back.
    const arms = Array.from({ length: 20 }, (_, i) => ({ id: `arm-${i}`, payload: { i } }));
    let fallback: { id: string; body: any } | undefined;
    for (let attempt = 0; attempt < 8 && !fallback; attempt++) {
      const id = `slow-${attempt}`;
      await put(id, experiment({ arms, defaultArm: 'arm-7', budgetMs: 1, algorithm: { type: 'thompson', priorAlpha: 4000, priorBeta: 6000 } }));
      const { body } = await decide(id);
      if (body.policyVersion === '1.fallback') fallback = { id, body };
      // The object's own answer, when it won the race, is a real draw: never the fallback's propensity 1.
      else expect(body.propensity).toBeLessThan(1);
    }
    expect(fallback, 'the 1 ms budget never fell back in 8 tries').toBeDefined();
    const { id, body } = fallback!;
    expect(body).toMatchObject({ arm: 'arm-7', propensity: 1, policyVersion: '1.fallback' });
    await new Promise((r) => setTimeout(r, 200));
    expect(await logged(body.decisionId)).toMatchObject({ fallback: 1, arm: 'arm-7', propensity: 1 });
    // A conversion for the fallback is recorded on the fallback row, never learned by the object.
    expect((await reward(body.decisionId, 1)).body).toEqual({ status: 'recorded' });
    expect((await banditSnapshot(E, site.id, id))!.state.updates).toBe(0);
  });

  it('holds out the declared share of visitors by a stable hash, and keeps them out on every request', async () => {
    await put('hold', experiment({ holdout: 0.3 }));
    const visitors = Array.from({ length: 120 }, (_, i) => `visitor-${String(i).padStart(4, '0')}`);
    const first = await Promise.all(visitors.map((v) => decide('hold', { device: 'mobile' }, v)));
    const flags = await Promise.all(first.map(async (d) => (await logged(d.body.decisionId))!.holdout));
    const share = flags.filter((h) => h === 1).length / visitors.length;
    expect(share).toBeGreaterThan(0.18);
    expect(share).toBeLessThan(0.42);
    first.forEach((d, i) => flags[i] === 1 && expect(d.body).toMatchObject({ arm: 'classic', propensity: 1 }));
    const again = await Promise.all(visitors.slice(0, 40).map((v) => decide('hold', { device: 'desktop' }, v)));
    const flagsAgain = await Promise.all(again.map(async (d) => (await logged(d.body.decisionId))!.holdout));
    expect(flagsAgain).toEqual(flags.slice(0, 40));
  });

  it('sticky assignment keeps a visitor on the first arm with its original propensity', async () => {
    await put('stick', experiment({ sticky: true, algorithm: { type: 'uniform' } }));
    for (const visitor of ['visitor-aaaa', 'visitor-bbbb', 'visitor-cccc']) {
      const first = (await decide('stick', { device: 'mobile' }, visitor)).body;
      for (let i = 0; i < 4; i++) {
        const next = (await decide('stick', { device: 'desktop' }, visitor)).body;
        expect([next.arm, next.propensity]).toEqual([first.arm, first.propensity]);
      }
    }
  });
});

describe('guardrails through the gateway', () => {
  it('the frequency cap moves a visitor off an arm seen often enough, then to the default when none is left', async () => {
    await put('cap', experiment({ algorithm: { type: 'uniform' }, guardrails: { frequencyCap: 1 } }));
    const seen = new Set<string>();
    for (let i = 0; i < 3; i++) {
      const { body } = await decide('cap', { device: 'mobile' }, 'visitor-capped');
      expect(seen.has(body.arm)).toBe(false);
      seen.add(body.arm);
    }
    expect(seen.size).toBe(3);
    const capped = (await decide('cap', { device: 'mobile' }, 'visitor-capped')).body;
    expect(capped).toMatchObject({ arm: 'classic', propensity: 1 });
    expect(await logged(capped.decisionId)).toMatchObject({ reason: 'frequency-capped' });
  });

  it('a paused experiment keeps serving but records rewards without learning', async () => {
    await put('pause', experiment());
    await call(`/v1/admin/sites/${site.id}/experiments/pause/status`, { method: 'POST', headers: ADMIN, body: JSON.stringify({ status: 'paused' }) });
    const { body } = await decide('pause');
    expect(body.propensity).toBeLessThan(1);
    expect((await reward(body.decisionId, 1)).body).toEqual({ status: 'recorded' });
    expect(await logged(body.decisionId)).toMatchObject({ reward: 1 });
    expect((await banditSnapshot(E, site.id, 'pause'))!.state.updates).toBe(0);
  });
});

describe('rewards', () => {
  it('are idempotent, late ones are ignored and counted, unknown ids are 404', async () => {
    await put('rw', experiment());
    const { body } = await decide('rw');
    expect((await reward(body.decisionId, 1)).body).toEqual({ status: 'applied', policyVersion: '1.1' });
    expect((await reward(body.decisionId, 1)).body).toEqual({ status: 'duplicate' });
    expect((await reward('rw.00000000-0000-0000-0000-000000000000', 1)).status).toBe(404);
    expect((await reward('garbage', 1)).status).toBe(404);
    const late = (await decide('rw')).body;
    const eightDays = Date.now() + 8 * 86_400_000;
    expect(await applyReward(E, site.id, late.decisionId, { kind: 'explicit', reward: 1 }, eightDays)).toEqual({ status: 'late' });
    expect(await logged(late.decisionId)).toMatchObject({ reward: null, late_rewards: 1 });
    const snapshot = await banditSnapshot(E, site.id, 'rw');
    expect(snapshot!.state.updates).toBe(1);
    expect(snapshot!.counters).toMatchObject({ applied: 1, duplicate: 1, late: 1, unknown: 1 });
    // A reward that arrives first after a later decision (out of order) still lands on its own decision.
    const a = (await decide('rw')).body, b = (await decide('rw')).body;
    expect((await reward(b.decisionId, 0)).body.status).toBe('applied');
    expect((await reward(a.decisionId, 1)).body.status).toBe('applied');
    expect(await logged(a.decisionId)).toMatchObject({ reward: 1 });
  });

  it('conversions through /v1/batch that carry a decisionId reward it (value minus the arm cost for value rewards)', async () => {
    await put('join', experiment({ reward: { type: 'value', event: 'Purchase', window: 'P1D' }, algorithm: { type: 'uniform' } }));
    const { body } = await decide('join');
    const event = trackEvent({ properties: { value: 42.5, currency: 'eur', decisionId: body.decisionId } });
    const ingest = await call(`/v1/batch?key=${WRITE_KEY}`, { method: 'POST', headers: { origin: ORIGIN, 'content-type': 'text/plain' }, body: JSON.stringify(batchOf([event])) });
    expect(ingest.status).toBe(200);
    const cost = body.arm === 'sale' ? 0.5 : 0;
    expect(await logged(body.decisionId)).toMatchObject({ reward: 42.5 - cost });
    expect((await banditSnapshot(E, site.id, 'join'))!.state.updates).toBe(1);
    // Another event name does not count for this experiment.
    const other = (await decide('join')).body;
    await call(`/v1/batch?key=${WRITE_KEY}`, { method: 'POST', headers: { origin: ORIGIN }, body: JSON.stringify(batchOf([trackEvent({ event: 'AddToCart', properties: { decisionId: other.decisionId } })])) });
    expect(await logged(other.decisionId)).toMatchObject({ reward: null });
  });
});

describe('evaluation endpoints', () => {
  it('exports NDJSON, reports incrementality against the holdout and the arms, and runs OPE on the log', async () => {
    await put('eval', experiment({ holdout: 0.25, algorithm: { type: 'epsilon-greedy', epsilon: 0.5 } }));
    const ds = await Promise.all(Array.from({ length: 60 }, (_, i) => decide('eval', { device: i % 2 ? 'mobile' : 'desktop' }, `visitor-${1000 + i}`)));
    await Promise.all(ds.map((d, i) => (i % 3 === 0 ? reward(d.body.decisionId, 1) : null)));
    const ndjson = await call(`/v1/admin/sites/${site.id}/experiments/eval/decisions`, { headers: ADMIN });
    const lines = ndjson.text.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(60);
    expect(lines[0]).toHaveProperty('propensity');
    expect(lines.filter((l) => l.reward === 1)).toHaveLength(20);
    const report = await call(`/v1/admin/sites/${site.id}/experiments/eval/report`, { headers: ADMIN });
    expect(report.body.incrementality.experimentDecisions + report.body.incrementality.holdoutDecisions).toBe(60);
    expect(report.body.incrementality.conversionRate.low).toBeLessThan(report.body.incrementality.conversionRate.high);
    expect(report.body.arms.map((a: any) => a.arm)).toEqual(['classic', 'sale', 'new']);
    const ope = await call(`/v1/admin/sites/${site.id}/experiments/eval/ope`, { method: 'POST', headers: ADMIN, body: JSON.stringify({ candidate: { type: 'fixed', weights: { sale: 1 } }, bootstrap: 50 }) });
    expect(ope.status).toBe(200);
    expect(ope.body.n).toBe(lines.filter((l) => !l.holdout).length);
    expect(ope.body.snips.low).toBeLessThanOrEqual(ope.body.snips.high);
    expect(ope.body.effectiveSampleSize).toBeGreaterThan(0);
    const bad = await call(`/v1/admin/sites/${site.id}/experiments/eval/ope`, { method: 'POST', headers: ADMIN, body: JSON.stringify({ candidate: { type: 'fixed', weights: {} } }) });
    expect(bad.status).toBe(422);
  });
});

describe('the CLI and the Durable Object', () => {
  it('make the same decisions for the same seed and history', async () => {
    const doc = experiment({ algorithm: { type: 'lints' }, floor: 0.05 });
    await put('same', doc);
    await runInDurableObject(banditStub(E, site.id, 'same'), (instance) => {
      (instance as unknown as { rng: () => number }).rng = seededRng(42);
    });
    const backtest = createBacktest({ arms: doc.arms, context: doc.context as never, algorithm: doc.algorithm as never, floor: doc.floor }, seededRng(42));
    const fromDo: unknown[] = [];
    const fromCli: unknown[] = [];
    for (let i = 0; i < 24; i++) {
      const context = { device: i % 3 ? 'mobile' : 'desktop' };
      const d = (await decide('same', context)).body;
      fromDo.push([d.arm, d.propensity]);
      const c = JSON.parse(backtest.handle(JSON.stringify({ op: 'decide', id: `c${i}`, context }))!);
      fromCli.push([c.arm, c.propensity]);
      const r = i % 4 === 0 ? 1 : 0;
      await reward(d.decisionId, r);
      backtest.handle(JSON.stringify({ op: 'reward', id: `c${i}`, reward: r }));
    }
    expect(fromDo).toEqual(fromCli);
    expect(new Set(fromDo.map((d) => (d as [string])[0])).size).toBeGreaterThan(1);
  });
});
