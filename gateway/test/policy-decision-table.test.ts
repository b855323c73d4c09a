import { env, createExecutionContext } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import worker from '../src/index.ts';
import type { Env } from '../src/env.ts';
import type { SiteConfig } from '../src/site-config/site-config.ts';
import { clearSiteConfigCache } from '../src/site-config/load-site-config.ts';
import { clearGvlCache } from '../src/consent/live-gvl.ts';
import gvl from '../../consent/fixtures/gvl-test.json';
import { DECISION_TABLE, expectation, finalActions, rawSignals, tableEvent, tablePolicy, type DecisionRow } from '../../consent/src/testing/decision-table.ts';
import { ADMIN } from './consent-fixtures.ts';

/** A site with the three destinations the table judges, each of its real type. */
const SITE: SiteConfig = {
  id: 'table-shop',
  allowedOrigins: ['https://table-shop.example'],
  destinations: {
    meta: { type: 'meta', pixelId: '1234567890', accessTokenSecret: 'META_TOKEN_TEST' },
    google_ads: {
      type: 'google_ads',
      customerId: '1234567890',
      conversionActionId: '42',
      developerTokenSecret: 'GADS_DEV_TOKEN',
      oauthClientIdSecret: 'GADS_CLIENT_ID',
      oauthClientSecretSecret: 'GADS_CLIENT_SECRET',
      oauthRefreshTokenSecret: 'GADS_REFRESH_TOKEN',
    },
    ga4: { type: 'ga4', measurementId: 'G-TABLE16', apiSecretSecret: 'GA4_API_SECRET' },
  },
};
const BASE = `https://gw.example/v1/admin/sites/${SITE.id}/policy`;

async function call(url: string, init: RequestInit = {}) {
  const response = await worker.fetch(new Request(url, init), env as Env, createExecutionContext());
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

async function putPolicy(policy: unknown) {
  return call(BASE, { method: 'PUT', headers: ADMIN, body: JSON.stringify(policy) });
}

function simulate(row: DecisionRow) {
  return call(`${BASE}/simulate`, {
    method: 'POST',
    headers: ADMIN,
    body: JSON.stringify({ event: tableEvent(), signals: rawSignals(row.signals), secGpc: row.secGpc === true, location: row.location, ip: '198.51.100.23' }),
  });
}

const GCM = { granted: 'GRANTED', denied: 'DENIED' } as const;

beforeAll(async () => {
  await env.CONFIG.put(`site:${SITE.id}`, JSON.stringify(SITE));
  clearSiteConfigCache();
  clearGvlCache();
  expect((await call('https://gw.example/v1/admin/gvl', { method: 'PUT', headers: ADMIN, body: JSON.stringify(gvl) })).status).toBe(200);
});

describe('the decision table through POST /v1/admin/sites/:site/policy/simulate (workerd)', () => {
  const variants = [...new Set(DECISION_TABLE.rows.map((r) => r.policy ?? 'example'))];
  for (const variant of variants) {
    const rows = DECISION_TABLE.rows.filter((r) => (r.policy ?? 'example') === variant);
    it(`policy "${variant}": ${rows.length} rows — decision, limited mode, Google's flags, fields, and the vendor item`, async () => {
      const put = await putPolicy(tablePolicy(variant === 'example' ? undefined : variant));
      expect(put.status).toBe(200);
      expect(put.body.warnings).toEqual([]);
      for (const row of rows) {
        const result = await simulate(row);
        expect(result.status, row.id).toBe(200);
        expect(result.body.warnings, row.id).toEqual([]);
        expect(JSON.stringify(result.body), row.id).not.toMatch(/jane|secret|555 0100/i);
        for (const destination of DECISION_TABLE.destinations) {
          const want = expectation(row.expect[destination]!);
          const got = result.body.destinations[destination];
          const at = `${row.id} → ${destination} (${got.receipt.rule})`;
          expect({ decision: got.decision, ...got.consent }, at).toEqual({ decision: want.decision, mode: want.mode, adUserData: want.adUserData, adPersonalization: want.adPersonalization });
          const because = row.because?.[destination];
          if (because) expect(got.receipt.rule, at).toContain(because);
          const flagsBecause = row.flagsBecause?.[destination];
          if (flagsBecause) expect(got.receipt.googleConsentBy.adUserData, at).toContain(flagsBecause);
          if (want.decision === 'deny') {
            expect(got.item, at).toBeNull();
            continue;
          }
          const actions = finalActions(got.fields);
          for (const [path, action] of Object.entries(want.fields)) expect(actions[path], `${at}: ${path}`).toBe(action);
          for (const field of got.fields) expect(field.rule, at).toMatch(/^(fields|destinations\.[a-z_]+\.fields)\./);
          // What the vendor would receive carries the same decision.
          if (destination === 'meta') expect(got.item.data_processing_options, at).toEqual(want.mode === 'limited' ? ['LDU'] : []);
          if (destination === 'ga4') {
            expect(got.item.consent, at).toEqual({ ad_user_data: GCM[want.adUserData], ad_personalization: GCM[want.adPersonalization] });
            expect(got.item.user_data !== undefined, `${at}: user_data`).toBe(want.adUserData === 'granted');
          }
          if (destination === 'google_ads') {
            expect(got.item.conversion.consent, at).toEqual({ adUserData: GCM[want.adUserData] });
            const sendsUserData = want.adUserData === 'granted' && want.fields['user.email'] !== 'drop';
            expect(got.item.conversion.userIdentifiers !== undefined, `${at}: userIdentifiers`).toBe(sendsUserData);
          }
        }
      }
    });
  }
});

describe('deprecated field-rule "requires" through the admin API', () => {
  it('still loads with its old meaning, and PUT and simulate both say it is deprecated', async () => {
    const legacy = tablePolicy();
    for (const path of ['user.email', 'user.phone']) {
      legacy.destinations.google_ads.fields[path] = { action: 'keep', requires: { purposes: ['advertising'], gcm: ['ad_user_data'] }, else: 'drop' };
    }
    const put = await putPolicy(legacy);
    expect(put.status).toBe(200);
    expect(put.body.warnings.map((w: { path: string }) => w.path)).toEqual(['destinations.google_ads.fields.user.email.requires', 'destinations.google_ads.fields.user.phone.requires']);
    expect(put.body.warnings[0].message).toContain('deprecated');
    // Old meaning (= unlessDenied): no Consent Mode state → email kept; ad_user_data denied → dropped.
    const open = await simulate({ id: 'legacy', doc: '', location: { country: 'BR' }, signals: {}, expect: {} });
    expect(open.body.warnings).toEqual(put.body.warnings);
    expect(open.body.destinations.google_ads.fields.find((f: { path: string }) => f.path === 'user.email')).toEqual({
      path: 'user.email',
      action: 'keep',
      rule: 'destinations.google_ads.fields.user.email',
      reason: 'requires met',
    });
    const refused = await simulate({ id: 'legacy', doc: '', location: { country: 'BR' }, signals: { consentMode: { ad_storage: 'granted', ad_user_data: 'denied' } }, expect: {} });
    expect(refused.body.destinations.google_ads.fields.find((f: { path: string }) => f.path === 'user.email')).toEqual({
      path: 'user.email',
      action: 'drop',
      rule: 'destinations.google_ads.fields.user.email.else',
      reason: 'requires.gcm ad_user_data denied',
    });
  });

  it('shows which rule decided each field with "needs": a Consent Mode type never set is not a grant', async () => {
    const strict = tablePolicy();
    strict.destinations.google_ads.fields['user.email'] = { action: 'keep', needs: { purposes: ['advertising'], gcm: ['ad_user_data'] }, else: 'drop' };
    expect((await putPolicy(strict)).status).toBe(200);
    const result = await simulate({ id: 'needs', doc: '', location: { country: 'BR' }, signals: {}, expect: {} });
    const email = result.body.destinations.google_ads.fields.find((f: { path: string }) => f.path === 'user.email');
    expect(email).toEqual({ path: 'user.email', action: 'drop', rule: 'destinations.google_ads.fields.user.email.else', reason: 'needs.gcm ad_user_data not granted (not set)' });
    expect(result.body.destinations.google_ads.fields.find((f: { path: string }) => f.path === 'context.ip')).toMatchObject({ action: 'generalize', rule: 'fields.context.ip', reason: 'unconditional' });
  });
});
