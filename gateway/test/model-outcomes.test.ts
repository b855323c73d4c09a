import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Env } from '../src/env.ts';
import { aggregateShard, countAggregates } from '../src/reports/count-aggregates.ts';
import { AGGREGATE_SHARDS } from '../src/reports/privacy-unit.ts';
import { clearReportConfigCache, reportConfigKey } from '../src/reports/report-config.ts';
import { site, seedSite, trackEvent } from './fixtures.ts';
import { ingest } from './consent-fixtures.ts';
import { ADMIN, call, closedDayMs, dayOf, query, seedReportSite } from './reports-fixtures.ts';
import lrManifest from '../../edge-models/models/obd-click-lr/1.0.0/manifest.json';

const NAME = 'obd-click-lr';
const MODELS = `/v1/admin/sites/${site.id}/models`;
const GRANTED = { consentMode: { analytics_storage: 'granted', ad_storage: 'denied' } };
const modelConfig = {
  version: 1,
  events: ['Slot Impression', 'Slot Click'],
  dimensions: ['model', 'modelVersion', 'shadowAgrees'],
  catalogue: { model: [NAME], modelVersion: ['1.0.0', '1.1.0'], shadowAgrees: ['true', 'false'] },
  bounds: { maxPartitionsPerUnit: 2, maxValuePerPartition: 10_000 },
  budget: { epsilonPerDay: '2', maxEpsilonPerQuery: '1', selectionDelta: '1e-6' },
  kFloor: 10,
};

async function publish(v: string, seed: number) {
  const file = Uint8Array.from({ length: 300 }, (_, i) => (i * 31 + seed) & 0xff);
  const sha = Array.from(new Uint8Array(await crypto.subtle.digest('SHA-256', file)), (b) => b.toString(16).padStart(2, '0')).join('');
  const manifest = { ...lrManifest, version: v, bytes: file.byteLength, sha256: sha };
  expect((await call(`${MODELS}/${NAME}/versions/${v}`, { method: 'PUT', headers: ADMIN, body: JSON.stringify({ manifest, file: btoa(String.fromCharCode(...file)) }) })).status).toBe(201);
}

/** Events exactly as sdk/src/rank/ranker.ts tracks them: impressions with shadow_top_agrees, clicks without. */
function slotEvents(version: string, agree: number, disagree: number, clicks: number) {
  const tags = { slot: 'home', model: NAME, model_version: version, rank_source: 'model' };
  const impressions = Array.from({ length: agree + disagree }, (_, i) =>
    trackEvent({ event: 'Slot Impression', anonymousId: `${version}-v${i}`, user: undefined, properties: { ...tags, cohort: 'live', items: ['a', 'b'], shadow_top_agrees: i < agree }, consent: GRANTED }),
  );
  const clicked = Array.from({ length: clicks }, (_, i) => trackEvent({ event: 'Slot Click', anonymousId: `${version}-v${i}`, user: undefined, properties: { ...tags, item_id: 'a', rank: 1 }, consent: GRANTED }));
  return [...impressions, ...clicked];
}

async function modelsPage(): Promise<string> {
  const response = await call(`/console/models?site=${site.id}`, { headers: { authorization: ADMIN.authorization } });
  expect(response.status).toBe(200);
  return response.text();
}

function cell(html: string, version: string, col: string): string {
  const at = html.indexOf(`data-outcome-version="${version}"`);
  expect(at, `no outcome row for ${version}`).toBeGreaterThanOrEqual(0);
  const m = html.slice(at, html.indexOf('</tr>', at)).match(new RegExp(`data-col="${col}"[^>]*>([^<]*)<`));
  expect(m, `no ${col} for ${version}`).not.toBeNull();
  return m![1]!.replace(/&#39;/g, "'");
}

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;

describe('console models page: per-version outcomes and shadow agreement from DP releases', () => {
  const at = closedDayMs();
  const day = dayOf(at);

  beforeAll(async () => {
    await seedSite();
    await env.DB.prepare('DELETE FROM report_releases').run();
    await publish('1.0.0', 1);
    await publish('1.1.0', 2);
    await call(`${MODELS}/${NAME}/rollout`, { method: 'POST', headers: ADMIN, body: JSON.stringify({ action: 'set-live', version: '1.1.0' }) });
    await call(`${MODELS}/${NAME}/rollout`, { method: 'POST', headers: ADMIN, body: JSON.stringify({ action: 'shadow', version: '1.0.0' }) });
  });

  it('without a covering report config, says exactly which config to declare, and that config is accepted', async () => {
    await env.CONFIG.delete(reportConfigKey(site.id));
    clearReportConfigCache();
    const html = await modelsPage();
    expect(html).toContain(`id="no-outcome-config-${NAME}"`);
    expect(html).not.toContain(`id="outcome-table-${NAME}"`);
    const shown = html.match(/<pre><code>([^<]+)<\/code><\/pre>/)![1]!.replace(/&quot;/g, '"');
    const declared = JSON.parse(shown);
    expect(declared).toMatchObject({ events: ['Slot Impression', 'Slot Click'], dimensions: ['model', 'modelVersion', 'shadowAgrees'], catalogue: { model: [NAME], shadowAgrees: ['true', 'false'] } });
    expect((await call(`/v1/reports/${site.id}/config`, { method: 'PUT', headers: ADMIN, body: shown })).status).toBe(200);
  });

  it('ingested through /v1/batch, the rank chunk properties land in model, modelVersion and shadowAgrees partitions', async () => {
    await seedReportSite(site.id, modelConfig);
    const { response } = await ingest(slotEvents('1.1.0', 1, 0, 1).map((e) => ({ ...e, anonymousId: `batch-${e.anonymousId}` })), { cf: { country: 'DE' } });
    expect(response.status).toBe(200);
    const today = dayOf(Date.now());
    const rows = (await Promise.all(Array.from({ length: AGGREGATE_SHARDS }, (_, i) => aggregateShard(env as Env, site.id, i).totals(today, today)))).flat();
    expect(new Set(rows.map((r) => r.partition))).toEqual(
      new Set([
        JSON.stringify({ event: 'Slot Impression', model: NAME, modelVersion: '1.1.0', shadowAgrees: 'true' }),
        JSON.stringify({ event: 'Slot Click', model: NAME, modelVersion: '1.1.0', shadowAgrees: '(none)' }),
      ]),
    );
  });

  it('shows impressions, clicks, CTR and shadow agreement per version exactly as the latest releases give them', async () => {
    await seedReportSite(site.id, modelConfig);
    // A finished day, through the very hook /v1/batch calls (a batch is always counted on today).
    const events = [...slotEvents('1.0.0', 100, 50, 40), ...slotEvents('1.1.0', 60, 60, 50)] as unknown as Parameters<typeof countAggregates>[2];
    await countAggregates(env as Env, site, events, new Request('https://gw.example/v1/batch', { method: 'POST', cf: { country: 'DE' } } as RequestInit), at);

    const before = await modelsPage();
    expect(cell(before, '1.0.0', 'impressions')).toBe('–'); // config declared, nothing released yet

    const outcome = await query(site.id, { metrics: ['count'], dimensions: ['event', 'model', 'modelVersion'], from: day, to: day, epsilon: '1/2' });
    expect(outcome.status).toBe(200);
    const agreement = await query(site.id, { metrics: ['count'], dimensions: ['event', 'model', 'modelVersion', 'shadowAgrees'], from: day, to: day, epsilon: '1/2' });
    expect(agreement.status).toBe(200);
    const o = (await outcome.json()) as any;
    const a = (await agreement.json()) as any;
    // The page must read the stored releases: compare with the release API, not with raw counts.
    const stored = async (id: string) => ((await (await call(`/v1/reports/${site.id}/releases/${id}`, { headers: ADMIN })).json()) as any).release.cells;
    const oCells = await stored(o.releaseId);
    const aCells = await stored(a.releaseId);
    expect(oCells).toEqual(o.cells);
    const find = (cells: any[], key: Record<string, string>) => cells.find((c) => Object.entries(key).every(([k, v]) => c.key[k] === v)).count;

    const html = await modelsPage();
    expect(html).toContain(o.releaseId);
    expect(html).toContain(a.releaseId);
    for (const [v, truth] of [['1.0.0', { imp: 150, clk: 40 }], ['1.1.0', { imp: 120, clk: 50 }]] as const) {
      const imp = find(oCells, { event: 'Slot Impression', model: NAME, modelVersion: v });
      const clk = find(oCells, { event: 'Slot Click', model: NAME, modelVersion: v });
      const yes = find(aCells, { event: 'Slot Impression', model: NAME, modelVersion: v, shadowAgrees: 'true' });
      const no = find(aCells, { event: 'Slot Impression', model: NAME, modelVersion: v, shadowAgrees: 'false' });
      expect(Math.abs(imp.value - truth.imp)).toBeLessThanOrEqual(3 * o.noise.count.halfWidth95); // released, noisy, near the truth
      expect(cell(html, v, 'impressions')).toBe(String(imp.value));
      expect(cell(html, v, 'impressions-interval')).toBe(`${imp.interval[0]} – ${imp.interval[1]}`);
      expect(cell(html, v, 'clicks')).toBe(String(clk.value));
      expect(cell(html, v, 'clicks-interval')).toBe(`${clk.interval[0]} – ${clk.interval[1]}`);
      expect(cell(html, v, 'ctr')).toBe(pct(clk.value / imp.value));
      expect(cell(html, v, 'ctr-interval')).toBe(`${pct(clk.interval[0] / imp.interval[1])} – ${pct(clk.interval[1] / imp.interval[0])}`);
      expect(cell(html, v, 'agreement')).toBe(pct(yes.value / (yes.value + no.value)));
      expect(cell(html, v, 'agreement-interval')).toBe(`${pct(yes.interval[0] / (yes.interval[0] + no.interval[1]))} – ${pct(yes.interval[1] / (yes.interval[1] + no.interval[0]))}`);
    }
  });
});
