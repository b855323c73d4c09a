import { env, createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { beforeEach, describe, expect, it } from 'vitest';
import worker from '../src/index.ts';
import type { Env } from '../src/env.ts';
import { violationStatements } from '../src/plan/violation-counts.ts';
import { clearReportConfigCache } from '../src/reports/report-config.ts';
import { ORIGIN, WRITE_KEY, seedSite, site } from './fixtures.ts';
import { countInto, dayOf, closedDayMs, reportConfig, seedReportSite } from './reports-fixtures.ts';
import lrManifest from '../../edge-models/models/obd-click-lr/1.0.0/manifest.json';

const READONLY = 'test-readonly-token-0123456789';
const testEnv = { ...(env as Env), ADMIN_READONLY_TOKEN: READONLY } as Env;
const ADMIN_TOKEN = env.ADMIN_TOKEN as string;
const ADMIN = { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' };
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

async function call(path: string, init: RequestInit = {}) {
  const ctx = createExecutionContext();
  const response = await worker.fetch(new Request(`https://gw.example${path}`, init), testEnv, ctx);
  await waitOnExecutionContext(ctx);
  return response;
}
async function json(path: string, init: RequestInit = {}): Promise<any> {
  const response = await call(path, init);
  expect(response.status, `${path}: ${response.status}`).toBeLessThan(300);
  return response.json();
}
async function page(path: string, token = ADMIN_TOKEN): Promise<string> {
  const response = await call(path, { headers: bearer(token) });
  expect(response.status, path).toBe(200);
  return response.text();
}
const post = (path: string, form: Record<string, string>, token = ADMIN_TOKEN) => call(path, { method: 'POST', headers: bearer(token), body: new URLSearchParams(form) });

/** The text of `<td data-col="col">` in the first row carrying `marker` (an attribute such as `data-arm="sale"`). */
function cell(html: string, marker: string, col: string): string {
  const at = html.indexOf(marker);
  expect(at, `no row ${marker}`).toBeGreaterThanOrEqual(0);
  const row = html.slice(at, html.indexOf('</tr>', at));
  const m = row.match(new RegExp(`data-col="${col}"[^>]*>([^<]*)<`));
  expect(m, `no cell ${col} in ${marker}`).not.toBeNull();
  return m![1]!;
}
/** The slice of the page from an element id to the end of its table. */
const table = (html: string, id: string) => html.slice(html.indexOf(`id="${id}"`), html.indexOf('</table>', html.indexOf(`id="${id}"`)));

beforeEach(async () => {
  await seedSite();
  for (const t of ['decisions', 'experiment_versions', 'model_versions', 'model_changes', 'report_releases', 'deletion_requests', 'plan_violations', 'retention_runs']) await env.DB.prepare(`DELETE FROM ${t}`).run();
  const keys = await env.CONFIG.list();
  await Promise.all(keys.keys.filter((k) => /^(experiment|model-|reports:)/.test(k.name)).map((k) => env.CONFIG.delete(k.name)));
  clearReportConfigCache();
});

const EXPERIMENT = {
  slot: 'hero',
  arms: [{ id: 'classic' }, { id: 'sale', cost: 0.5 }, { id: 'new' }],
  defaultArm: 'classic',
  algorithm: { type: 'thompson' },
  holdout: 0.3,
  reward: { type: 'explicit' },
  budgetMs: 1000,
};

async function seedExperiment(id = 'hero-test', decisions = 60) {
  expect((await call(`/v1/admin/sites/${site.id}/experiments/${id}`, { method: 'PUT', headers: ADMIN, body: JSON.stringify(EXPERIMENT) })).status).toBe(200);
  for (let i = 0; i < decisions; i++) {
    const d: any = await json(`/v1/decide?key=${WRITE_KEY}`, { method: 'POST', headers: { origin: ORIGIN, 'content-type': 'application/json' }, body: JSON.stringify({ experiment: id, context: {}, visitorId: `visitor-${i}` }) });
    // Every third decision converts (sale converts more), so posteriors and lift differ from the prior.
    const reward = d.arm === 'sale' ? (i % 2 === 0 ? 1 : 0) : i % 3 === 0 ? 1 : 0;
    if (reward) await json(`/v1/reward?key=${WRITE_KEY}`, { method: 'POST', headers: { origin: ORIGIN, 'content-type': 'application/json' }, body: JSON.stringify({ decisionId: d.decisionId, reward }) });
  }
}

describe('console: experiments page', () => {
  it('shows arms, allocation, posteriors, reward counters and lift as the experiments API reports them', async () => {
    await seedExperiment();
    const report = await json(`/v1/admin/sites/${site.id}/experiments/hero-test/report`, { headers: ADMIN });
    const exported = (await (await call(`/v1/admin/sites/${site.id}/experiments/hero-test/decisions`, { headers: ADMIN })).text()).trim().split('\n').map((l) => JSON.parse(l));
    expect(exported).toHaveLength(60);
    const html = await page(`/console/experiments?site=${site.id}&experiment=hero-test`);
    expect(html).toContain('id="exp-status">running<');
    expect(html).toContain(`id="policy-version">${report.policyVersion}<`);
    const served = exported.filter((r) => !r.holdout);
    for (const arm of ['classic', 'sale', 'new']) {
      const mine = served.filter((r) => r.arm === arm);
      expect(cell(html, `data-arm="${arm}"`, 'served')).toBe(String(mine.length));
      expect(cell(html, `data-arm="${arm}"`, 'share')).toBe(`${((mine.length / served.length) * 100).toFixed(1)} %`);
      const summary = report.arms.find((a: any) => a.arm === arm);
      expect(cell(html, `data-arm="${arm}"`, 'pulls')).toBe(String(summary.pulls));
      const posterior = table(html, 'posterior-title');
      expect(cell(posterior, `data-row="${arm}"`, 'mean')).toBe(summary.mean.toFixed(4));
      // Beta intervals come from posterior samples: the page's draw and the API's agree closely, not exactly.
      expect(Math.abs(Number(cell(posterior, `data-row="${arm}"`, 'low')) - summary.low)).toBeLessThan(0.05);
      expect(Math.abs(Number(cell(posterior, `data-row="${arm}"`, 'high')) - summary.high)).toBeLessThan(0.05);
    }
    expect(report.rewards.applied).toBeGreaterThan(0);
    expect(table(html, 'reward-counters')).toContain(`data-col="applied">${report.rewards.applied}<`);
    expect(table(html, 'reward-counters')).toContain(`data-col="recorded">${report.rewards.recorded}<`);
    const inc = report.incrementality;
    expect(inc.holdoutDecisions).toBeGreaterThan(0);
    expect(html).toContain(`data-holdout-decisions="${inc.holdoutDecisions}"`);
    expect(cell(html, 'data-row="conversion rate"', 'lift')).toBe(inc.conversionRate.lift.toFixed(4));
    expect(cell(html, 'data-row="conversion rate"', 'low')).toBe(inc.conversionRate.low.toFixed(4));
    expect(cell(html, 'data-row="reward per decision"', 'holdout')).toBe(inc.valuePerDecision.holdout.toFixed(4));
    // Decisions over time: the chart's table sums to every logged decision (all made within the last hour).
    const decisionsTable = table(html, 'decisions-title');
    const perBucket = [...decisionsTable.matchAll(/data-series="decisions">(\d+)</g)].reduce((a, m) => a + Number(m[1]), 0);
    expect(perBucket).toBe(60);
    const rewarded = [...decisionsTable.matchAll(/data-series="rewarded">(\d+)</g)].reduce((a, m) => a + Number(m[1]), 0);
    expect(rewarded).toBe(exported.filter((r) => r.reward !== null).length);
  });

  it('runs an off-policy estimate for the read-only token and matches the OPE API', async () => {
    await seedExperiment();
    const api = await json(`/v1/admin/sites/${site.id}/experiments/hero-test/ope`, { method: 'POST', headers: ADMIN, body: JSON.stringify({ candidate: { type: 'fixed', weights: { sale: 1 } } }) });
    const response = await post(`/console/experiments/ope?site=${site.id}`, { experiment: 'hero-test', 'w:classic': '0', 'w:sale': '1', 'w:new': '0' }, READONLY);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain(`data-n="${api.n}"`);
    for (const k of ['ips', 'snips', 'dr']) expect(cell(html, `data-row="${k}"`, 'value')).toBe(api[k].value.toFixed(4));
    expect(cell(html, 'data-row="logged"', 'value')).toBe(api.loggedValue.toFixed(4));
    const bad = await post(`/console/experiments/ope?site=${site.id}`, { experiment: 'hero-test', 'w:classic': '-1' }, READONLY);
    expect(bad.status).toBe(422);
    expect(await bad.text()).toContain('id="ope-error"');
  });

  it('pauses and stops for the admin only; the read-only token gets 403 and changes nothing', async () => {
    await seedExperiment('hero-test', 3);
    const refused = await post(`/console/experiments/status?site=${site.id}`, { experiment: 'hero-test', status: 'paused' }, READONLY);
    expect(refused.status).toBe(403);
    expect((await json(`/v1/admin/sites/${site.id}/experiments/hero-test`, { headers: ADMIN })).experiment.status).toBe('running');
    const readonlyPage = await page(`/console/experiments?site=${site.id}`, READONLY);
    expect(readonlyPage).not.toContain('action="/console/experiments/status');
    const paused = await post(`/console/experiments/status?site=${site.id}`, { experiment: 'hero-test', status: 'paused' });
    expect(paused.status).toBe(303);
    expect(paused.headers.get('location')).toContain('flash=');
    const live = await json(`/v1/admin/sites/${site.id}/experiments/hero-test`, { headers: ADMIN });
    expect(live.experiment.status).toBe('paused');
    expect(live.version).toBe(2);
    const history = await json(`/v1/admin/sites/${site.id}/experiments/hero-test/history`, { headers: ADMIN });
    expect(history.versions[0].change).toBe('status:paused');
    expect(await page(`/console/experiments?site=${site.id}&experiment=hero-test`)).toContain('id="exp-status">paused<');
    expect((await post(`/console/experiments/status?site=${site.id}`, { experiment: 'hero-test', status: 'stopped' })).status).toBe(303);
    // Stopped: the object serves the default arm at once.
    const d = await json(`/v1/decide?key=${WRITE_KEY}`, { method: 'POST', headers: { origin: ORIGIN, 'content-type': 'application/json' }, body: JSON.stringify({ experiment: 'hero-test', context: {} }) });
    expect(d).toMatchObject({ arm: 'classic', propensity: 1 });
    const audit = await json(`/v1/admin/privacy/audit?site=${site.id}`, { headers: ADMIN });
    expect(audit.entries.filter((e: any) => e.action === 'experiment.status').map((e: any) => e.detail.status)).toEqual(['stopped', 'paused']);
  });
});

const MODELS = `/v1/admin/sites/${site.id}/models`;
const NAME = 'obd-click-lr';
async function publish(v: string, seed: number) {
  const file = Uint8Array.from({ length: 300 }, (_, i) => (i * 31 + seed) & 0xff);
  const sha = Array.from(new Uint8Array(await crypto.subtle.digest('SHA-256', file)), (b) => b.toString(16).padStart(2, '0')).join('');
  const manifest = { ...lrManifest, version: v, bytes: file.byteLength, sha256: sha };
  expect((await call(`${MODELS}/${NAME}/versions/${v}`, { method: 'PUT', headers: ADMIN, body: JSON.stringify({ manifest, file: btoa(String.fromCharCode(...file)) }) })).status).toBe(201);
}
const rollout = (change: object) => json(`${MODELS}/${NAME}/rollout`, { method: 'POST', headers: ADMIN, body: JSON.stringify(change) });

describe('console: models page', () => {
  beforeEach(async () => {
    await publish('1.0.0', 1);
    await publish('1.1.0', 2);
    await publish('1.2.0', 3);
    await rollout({ action: 'set-live', version: '1.0.0' });
    await rollout({ action: 'set-live', version: '1.1.0' });
    await rollout({ action: 'canary', version: '1.2.0', percent: 12.5 });
    await rollout({ action: 'shadow', version: '1.0.0' });
  });

  it('shows versions, live, canary share, shadow and the change history as the registry reports them', async () => {
    const { state } = await json(`${MODELS}/${NAME}`, { headers: ADMIN });
    const { changes } = await json(`${MODELS}/${NAME}/history`, { headers: ADMIN });
    const html = await page(`/console/models?site=${site.id}`, READONLY);
    const rollTable = table(html, `rollout-${NAME}`);
    expect(rollTable).toContain(`data-col="live">${state.live}<`);
    expect(rollTable).toContain(`data-col="canary-share">${state.canary.percent} %<`);
    expect(rollTable).toContain(`data-col="shadow">${state.shadow}<`);
    expect(rollTable).toContain(`data-col="previous">${state.previousLive}<`);
    expect(rollTable).toContain(`data-col="revision">${state.revision}<`);
    expect(cell(html, 'data-version="1.2.0"', 'role')).toBe('canary 12.5 %');
    expect(cell(html, 'data-version="1.0.0"', 'role')).toBe('shadow, rollback target');
    expect(cell(html, 'data-version="1.1.0"', 'bytes')).toBe('300');
    expect([...table(html, `changes-${NAME}`).matchAll(/data-col="action">([^<]+)</g)].map((m) => m[1])).toEqual(changes.map((c: any) => c.action));
    // No report config counts the model's events: the page says how to declare one instead of showing numbers.
    expect(html).toContain(`id="no-outcome-config-${NAME}"`);
    expect(html).not.toContain(`id="outcome-table-${NAME}"`);
    expect(html).not.toContain(`action="/console/models/kill`);
  });

  it('kills and rolls back for the admin only; the read-only token gets 403', async () => {
    expect((await post(`/console/models/kill?site=${site.id}`, { model: NAME, killed: 'true' }, READONLY)).status).toBe(403);
    expect((await post(`/console/models/rollback?site=${site.id}`, { model: NAME }, READONLY)).status).toBe(403);
    expect((await json(`${MODELS}/${NAME}`, { headers: ADMIN })).state.killed).toBe(false);
    const kill = await post(`/console/models/kill?site=${site.id}`, { model: NAME, killed: 'true' });
    expect(kill.status).toBe(303);
    expect((await json(`${MODELS}/${NAME}`, { headers: ADMIN })).state.killed).toBe(true);
    // The serving route honours it: no model for anyone.
    const served = await json(`/v1/models/${NAME}?key=${WRITE_KEY}&vid=v1`, { headers: { origin: ORIGIN } });
    expect(served).toMatchObject({ cohort: 'killed' });
    expect(table(await page(`/console/models?site=${site.id}`), `rollout-${NAME}`)).toContain('data-col="killed">on:');
    expect((await post(`/console/models/rollback?site=${site.id}`, { model: NAME })).status).toBe(303);
    const { state } = await json(`${MODELS}/${NAME}`, { headers: ADMIN });
    expect(state).toMatchObject({ live: '1.0.0', previousLive: '1.1.0', canary: null });
    const { changes } = await json(`${MODELS}/${NAME}/history`, { headers: ADMIN });
    expect(changes.slice(0, 2).map((c: any) => c.action)).toEqual(['rollback', 'kill']);
  });
});

describe('console: privacy page', () => {
  it('shows budget used and left, releases and their cells, violations, deletions and the audit as their APIs report them', async () => {
    await seedReportSite(site.id);
    const at = closedDayMs();
    const day = dayOf(at);
    await countInto(site, Array.from({ length: 40 }, (_, i) => ({ visitor: `v${i}`, campaign: i % 2 ? 'spring' : 'summer' })), at);
    const release = await json(`/v1/reports/${site.id}/query`, { method: 'POST', headers: ADMIN, body: JSON.stringify({ metrics: ['count'], dimensions: ['utmCampaign'], from: day, to: day, epsilon: '1/2' }) });
    await env.DB.batch(violationStatements(env.DB, site.id, [{ event: 'Purchase', violation: { path: 'properties.value', rule: 'type', message: 'x', action: 'reject' } as any }, { event: 'Purchase', violation: { path: 'properties.value', rule: 'type', message: 'x', action: 'reject' } as any }], Date.now()));
    const deletion = await json('/v1/admin/privacy/deletions', { method: 'POST', headers: ADMIN, body: JSON.stringify({ siteId: site.id, email: 'forget.me@example.com' }) });

    const ledger = await json(`/v1/reports/${site.id}/ledger`, { headers: ADMIN });
    const stored = await json(`/v1/reports/${site.id}/releases/${release.releaseId}`, { headers: ADMIN });
    const status = await json(`/v1/admin/sites/${site.id}/plan/status`, { headers: ADMIN });
    const record = await json(`/v1/admin/privacy/deletions/${deletion.id}`, { headers: ADMIN });
    const audit = await json(`/v1/admin/privacy/audit?site=${site.id}`, { headers: ADMIN });

    const html = await page(`/console/privacy?site=${site.id}`, READONLY);
    expect(html).toContain(`id="epsilon-cap">${reportConfig.budget.epsilonPerDay}<`);
    const spent = ledger.spent.find((d: any) => d.day === day);
    expect(spent.epsilon).toBe('1/2');
    expect(html).toMatch(new RegExp(`data-day="${day}"[\\s\\S]*?data-col="used" data-exact="1/2"`));
    expect(html).toMatch(new RegExp(`data-day="${day}"[\\s\\S]*?data-col="left" data-exact="3/2"`));
    expect(cell(html, `data-release="${release.releaseId}"`, 'epsilon')).toBe(stored.release.epsilon.spent);
    expect(cell(html, `data-release="${release.releaseId}"`, 'cells')).toBe(String(stored.release.cells.length));
    const cells = table(html, 'release-cells');
    for (const c of stored.release.cells) {
      const shown = cell(cells, `data-cell="${JSON.stringify(c.key).replace(/"/g, '&quot;')}"`, 'count');
      expect(shown).toBe(c.count === null ? 'suppressed (k floor)' : `${c.count.value} [${c.count.interval[0]}, ${c.count.interval[1]}]`);
    }
    expect(cell(html, 'data-violation="Purchase|properties.value:type|reject"', 'count')).toBe(String(status.violations[0].count));
    expect(status.violations[0].count).toBe(2);
    expect(cell(html, `data-deletion="${deletion.id}"`, 'status')).toBe(record.status);
    expect(cell(html, `data-deletion="${deletion.id}"`, 'purged')).toBe(String(Object.values(record.stores).reduce((a: number, s: any) => a + s.removed, 0)));
    expect([...table(html, 'admin-audit').matchAll(/data-col="action">([^<]+)</g)].map((m) => m[1])).toEqual(audit.entries.map((e: any) => e.action));
    // No identifier of the deleted person on the page.
    expect(html).not.toContain('forget.me@example.com');
    // A second read of the same query costs nothing: the page still shows ε 1/2 used.
    await json(`/v1/reports/${site.id}/query`, { method: 'POST', headers: ADMIN, body: JSON.stringify({ metrics: ['count'], dimensions: ['utmCampaign'], from: day, to: day, epsilon: '1/2' }) });
    expect(await page(`/console/privacy?site=${site.id}`)).toMatch(new RegExp(`data-day="${day}"[\\s\\S]*?data-col="used" data-exact="1/2"`));
  });

  it('says plainly when a site has no report config', async () => {
    const html = await page(`/console/privacy?site=${site.id}`, READONLY);
    expect(html).toContain('id="no-reports"');
  });
});
