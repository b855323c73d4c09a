import { env, createExecutionContext } from 'cloudflare:test';
import { beforeEach, describe, expect, it } from 'vitest';
import worker from '../src/index.ts';
import type { Env } from '../src/env.ts';
import { sha256Hex } from '../src/identity/sha256.ts';
import { ORIGIN, WRITE_KEY, trackEvent } from './fixtures.ts';
import { ADMIN, putPolicy, seedConsentSite, testPolicy } from './consent-fixtures.ts';

const BASE = 'https://gw.example/v1/admin/sites/test-shop/policy';

async function call(url: string, init: RequestInit & { cf?: Record<string, string> } = {}) {
  const response = await worker.fetch(new Request(url, init as RequestInit), env as Env, createExecutionContext());
  return { status: response.status, body: (await response.json()) as Record<string, any>, headers: response.headers };
}

beforeEach(async () => {
  await seedConsentSite();
  await env.CONFIG.delete('policy:test-shop');
  await env.DB.prepare('DELETE FROM policy_versions').run();
});

describe('admin policy API', () => {
  it('refuses missing and wrong admin tokens', async () => {
    expect((await call(BASE)).status).toBe(401);
    const wrong = await call(BASE, { headers: { authorization: 'Bearer test-admin-tokeX' } });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('unauthorized');
  });

  it('versions every accepted policy, keeps history, and serves the live one', async () => {
    const first = await putPolicy(testPolicy());
    expect(first.status).toBe(200);
    const v1 = await first.json<{ version: number; policyVersion: string }>();
    const changed = testPolicy();
    changed.jurisdictions[1].noSignal.waitMs = 800;
    const v2 = await (await putPolicy(changed)).json<{ version: number; policyVersion: string }>();
    expect([v1.version, v2.version]).toEqual([1, 2]);
    expect(v2.policyVersion).not.toBe(v1.policyVersion);
    const live = await call(BASE, { headers: ADMIN });
    expect(live.body).toMatchObject({ version: 2, policyVersion: v2.policyVersion });
    expect(live.body.policy.jurisdictions[1].noSignal.waitMs).toBe(800);
    const history = await call(`${BASE}/history`, { headers: ADMIN });
    expect(history.body.versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    const old = await call(`${BASE}/versions/1`, { headers: ADMIN });
    expect(old.body.policy.jurisdictions[1].noSignal.waitMs).toBe(500);
  });

  it('rejects an invalid policy with the zod path and leaves the old one live', async () => {
    await putPolicy(testPolicy());
    const bad = testPolicy();
    bad.jurisdictions[0].noSignal.then = 'allow';
    const response = await putPolicy(bad);
    expect(response.status).toBe(422);
    const body = await response.json<{ error: { code: string; message: string }; issues: Array<{ path: string }> }>();
    expect(body.error.code).toBe('invalid_policy');
    expect(body.error.message).toContain('jurisdictions[0].noSignal.then');
    expect(body.issues[0]!.path).toBe('jurisdictions[0].noSignal.then');
    expect((await call(BASE, { headers: ADMIN })).body.version).toBe(1);
    const garbage = await call(BASE, { method: 'PUT', headers: ADMIN, body: '{nope' });
    expect(garbage.status).toBe(400);
  });

  it('accepts the same policy as YAML (same version hash as JSON) and rejects bad YAML with a line number', async () => {
    const { stringify } = await import('yaml');
    const yamlHeaders = { ...ADMIN, 'content-type': 'application/yaml' };
    const asYaml = await call(BASE, { method: 'PUT', headers: yamlHeaders, body: stringify(testPolicy()) });
    expect(asYaml.status).toBe(200);
    const asJson = await (await putPolicy(testPolicy())).json<{ policyVersion: string }>();
    expect(asYaml.body.policyVersion).toBe(asJson.policyVersion);
    const broken = await call(BASE, { method: 'PUT', headers: yamlHeaders, body: 'version: 1\njurisdictions: [\n  - id: x\n' });
    expect(broken.status).toBe(400);
    expect(broken.body.error.code).toBe('malformed_yaml');
    expect(broken.body.error.message).toMatch(/line \d+/);
    const bomb = 'a: &a [x, x, x, x, x, x, x, x, x]\n' + Array.from({ length: 60 }, (_, i) => `k${i}: [*a, *a, *a, *a, *a, *a, *a, *a, *a]`).join('\n');
    const blocked = await call(BASE, { method: 'PUT', headers: yamlHeaders, body: bomb });
    expect(blocked.status).toBe(400);
  });

  it('warns about site destinations the policy does not name', async () => {
    const policy = testPolicy();
    delete policy.destinations.meta_measurement;
    const body = await (await putPolicy(policy)).json<{ warnings: Array<{ path: string }> }>();
    expect(body.warnings.map((w) => w.path)).toEqual(['destinations.meta_measurement']);
  });

  it('answers 404 for unknown sites and sites without a policy', async () => {
    expect((await call('https://gw.example/v1/admin/sites/nope/policy', { headers: ADMIN })).status).toBe(404);
    expect((await call(BASE, { headers: ADMIN })).status).toBe(404);
  });

  it('simulates: what each destination would receive, hashed, with LDU flags and the receipt', async () => {
    await putPolicy(testPolicy());
    const event = trackEvent({ context: { page: { url: 'https://shop.example/p?q=secret&gclid=G1' }, userAgent: 'UA' } });
    const result = await call(`${BASE}/simulate`, {
      method: 'POST',
      headers: ADMIN,
      body: JSON.stringify({ event, secGpc: true, location: { country: 'US', region: 'CA' }, ip: '198.51.100.23' }),
    });
    expect(result.status).toBe(200);
    expect(result.body.jurisdiction).toBe('us-optout');
    const meta = result.body.destinations.meta;
    expect(meta.decision).toBe('limited');
    expect(meta.consent).toEqual({ mode: 'limited', adUserData: 'denied', adPersonalization: 'denied' });
    expect(meta.receipt.rule).toContain('gpc (header)');
    expect(meta.item.user_data.em).toEqual([await sha256Hex('jane.doe@example.com')]);
    expect(meta.item.user_data.client_ip_address).toBe('198.51.100.0');
    expect(meta.item.event_source_url).toBe('https://shop.example/p?gclid=G1');
    expect(result.body.destinations.meta_measurement.decision).toBe('allow');
    expect(JSON.stringify(result.body)).not.toMatch(/jane|secret/i);
    const eea = await call(`${BASE}/simulate`, { method: 'POST', headers: ADMIN, body: JSON.stringify({ event, location: { country: 'FR' } }) });
    expect(eea.body.destinations.meta).toMatchObject({ decision: 'deny', item: null });
  });

  it('rejects a malformed simulate request with a path, never a 500', async () => {
    await putPolicy(testPolicy());
    const bad = await call(`${BASE}/simulate`, { method: 'POST', headers: ADMIN, body: JSON.stringify({ event: { type: 'track' } }) });
    expect(bad.status).toBe(422);
    expect(bad.body.error.message).toMatch(/^event\./);
  });
});

describe('GET /v1/config', () => {
  it('serves the SDK the policy view for the visitor jurisdiction, CORS for allowed origins', async () => {
    await putPolicy(testPolicy());
    const de = await call(`https://gw.example/v1/config?key=${WRITE_KEY}`, { headers: { origin: ORIGIN }, cf: { country: 'DE' } });
    expect(de.status).toBe(200);
    expect(de.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(de.body.consent).toMatchObject({ jurisdiction: 'eea-uk', model: 'opt-in', noSignal: { waitMs: 2000, then: 'deny' }, read: { tcf: true, gcm: true } });
    expect(de.body.consent.destinations.meta).toEqual({ all: ['advertising'], any: [], limited: false });
    const ca = await call(`https://gw.example/v1/config?key=${WRITE_KEY}`, { cf: { country: 'US', regionCode: 'CA' } });
    expect(ca.body.consent).toMatchObject({ jurisdiction: 'us-optout', noSignal: { waitMs: 500, then: 'allow' }, read: { gpp: true, gpc: true } });
    expect((await call(`https://gw.example/v1/config?key=${WRITE_KEY}`, { headers: { origin: 'https://evil.example' } })).status).toBe(403);
  });

  it('shows the built-in default policy for a site without one, and the site’s own once set', async () => {
    const result = await call(`https://gw.example/v1/config?key=${WRITE_KEY}`, { headers: { origin: ORIGIN }, cf: { country: 'DE' } });
    expect(result.body).toMatchObject({ siteId: 'test-shop', policySource: 'default' });
    expect(result.body.consent).not.toBeNull();
    expect(result.body.consent).toMatchObject({ jurisdiction: 'eea-uk-ch', model: 'opt-in', noSignal: { then: 'deny' } });
    await putPolicy(testPolicy());
    const own = await call(`https://gw.example/v1/config?key=${WRITE_KEY}`, { headers: { origin: ORIGIN } });
    expect(own.body.policySource).toBe('site');
  });
});
