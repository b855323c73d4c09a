import { env, createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import worker from '../src/index.ts';
import type { Env } from '../src/env.ts';
import type { SiteConfig } from '../src/site-config/site-config.ts';
import { clearSiteConfigCache } from '../src/site-config/load-site-config.ts';
import { countAggregates } from '../src/reports/count-aggregates.ts';
import { putPolicy, testPolicy, ADMIN } from './consent-fixtures.ts';
import { site as baseSite, trackEvent } from './fixtures.ts';

export const REPORT_TOKEN = 'test-report-token-abcdef0123';
export const REPORTING = { authorization: `Bearer ${REPORT_TOKEN}`, 'content-type': 'application/json' };
export { ADMIN };

export const DAY_MS = 86_400_000;
/** Two days ago (UTC): finished and past the close grace whatever the time of day the tests run. */
export const closedDayMs = () => Date.now() - 2 * DAY_MS;
export const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export const reportConfig = {
  version: 1,
  events: ['Purchase', 'page'],
  dimensions: ['utmCampaign', 'utmSource', 'creative', 'experiment', 'arm', 'countryGroup'],
  catalogue: { utmCampaign: ['spring', 'summer'], creative: ['c1', 'c2', 'c3'], experiment: ['exp1'], arm: ['a', 'b'] },
  countryGroups: { eu: ['DE', 'FR'] },
  bounds: { maxPartitionsPerUnit: 2, maxValuePerPartition: 10_000 },
  budget: { epsilonPerDay: '2', maxEpsilonPerQuery: '1', selectionDelta: '1e-6' },
  kFloor: 20,
};

/** The worker with a reporting token set (the test config has ADMIN_TOKEN only). */
export async function call(path: string, init: RequestInit = {}): Promise<Response> {
  const ctx = createExecutionContext();
  const response = await worker.fetch(new Request(`https://gw.example${path}`, init), { ...(env as Env), REPORT_TOKEN } as Env, ctx);
  await waitOnExecutionContext(ctx);
  return response;
}

/** Seeds a site (KV), the shipped example policy (measurement is a purpose there) and a report config. */
export async function seedReportSite(id: string, config: Record<string, unknown> = reportConfig): Promise<SiteConfig> {
  const s: SiteConfig = { ...baseSite, id };
  await env.CONFIG.put(`site:${id}`, JSON.stringify(s));
  clearSiteConfigCache();
  if (id === baseSite.id) await putPolicy(testPolicy());
  else await env.CONFIG.put(`policy:${id}`, JSON.stringify({ version: 1, policyVersion: 'test', policy: testPolicy(), updatedAt: Date.now() }));
  const put = await call(`/v1/reports/${id}/config`, { method: 'PUT', headers: ADMIN, body: JSON.stringify(config) });
  if (put.status !== 200) throw new Error(`report config refused: ${await put.text()}`);
  return s;
}

const GRANTED = { consentMode: { analytics_storage: 'granted', ad_storage: 'denied' } };
const DENIED = { consentMode: { analytics_storage: 'denied', ad_storage: 'denied' } };

export interface Visit {
  visitor: string;
  campaign?: string;
  source?: string;
  creative?: string;
  value?: number;
  consent?: 'granted' | 'denied';
  event?: string;
}

/** Builds consented (or not) events for the visits. */
export function eventsFor(visits: Visit[]) {
  return visits.map((v) =>
    trackEvent({
      event: v.event ?? 'Purchase',
      anonymousId: v.visitor,
      user: undefined,
      properties: { value: v.value ?? 10, currency: 'eur', ...(v.creative ? { creative: v.creative } : {}) },
      context: { utm: { ...(v.campaign ? { campaign: v.campaign } : {}), ...(v.source ? { source: v.source } : {}) } },
      consent: v.consent === 'denied' ? DENIED : GRANTED,
    }),
  );
}

/** Counts visits into a past day through the very ingest hook, from Germany (opt-in jurisdiction). */
export async function countInto(s: SiteConfig, visits: Visit[], at: number): Promise<void> {
  const request = new Request('https://gw.example/v1/batch', { method: 'POST', cf: { country: 'DE' } } as RequestInit);
  const parsed = eventsFor(visits) as unknown as Parameters<typeof countAggregates>[2];
  await countAggregates(env as Env, s, parsed, request, at);
}

export function query(site: string, body: Record<string, unknown>, headers: Record<string, string> = REPORTING) {
  return call(`/v1/reports/${site}/query`, { method: 'POST', headers, body: JSON.stringify(body) });
}
