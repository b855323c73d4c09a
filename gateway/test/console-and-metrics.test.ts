import { env, createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { beforeEach, describe, expect, it } from 'vitest';
import worker from '../src/index.ts';
import type { Env } from '../src/env.ts';
import { ORIGIN, WRITE_KEY, batchOf, site, trackEvent } from './fixtures.ts';
import { ingest, putPolicy, seedConsentSite, testPolicy } from './consent-fixtures.ts';

const READONLY = 'test-readonly-token-0123456789';
const testEnv = { ...(env as Env), ADMIN_READONLY_TOKEN: READONLY } as Env;

async function call(path: string, init: RequestInit = {}) {
  const ctx = createExecutionContext();
  const response = await worker.fetch(new Request(`https://gw.example${path}`, init), testEnv, ctx);
  await waitOnExecutionContext(ctx);
  return response;
}
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

beforeEach(async () => {
  await seedConsentSite();
  for (const table of ['delivery_log', 'dead_letters', 'consent_audit', 'metric_counters', 'policy_versions']) await env.DB.prepare(`DELETE FROM ${table}`).run();
  await env.CONFIG.delete(`policy:${site.id}`);
});

describe('console auth', () => {
  it('sends a browser without a token to the sign-in form, and refuses API callers with 401', async () => {
    const html = await call('/console/delivery', { headers: { accept: 'text/html' } });
    expect(html.status).toBe(303);
    expect(html.headers.get('location')).toBe('/console/login?next=%2Fconsole%2Fdelivery');
    const api = await call('/console/delivery', { headers: bearer('wrong-token') });
    expect(api.status).toBe(401);
    expect((await api.json<{ error: { code: string } }>()).error.code).toBe('unauthorized');
  });

  it('signs in with the read-only token into an HttpOnly SameSite=Strict cookie that shows pages', async () => {
    const login = await call('/console/login', { method: 'POST', body: new URLSearchParams({ token: READONLY, next: '/console/consent' }), headers: { origin: 'https://gw.example' } });
    expect(login.status).toBe(303);
    expect(login.headers.get('location')).toBe('/console/consent');
    const cookie = login.headers.get('set-cookie')!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Secure/);
    // The cookie holds a session value derived from the token, never the token itself.
    expect(cookie).not.toContain(READONLY);
    expect((await call('/console/consent', { headers: { cookie: `sluice_console=${READONLY}` } })).status).toBe(401);
    const page = await call('/console/consent', { headers: { cookie: cookie.split(';')[0]! } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('data-role="readonly"');
    const wrong = await call('/console/login', { method: 'POST', body: new URLSearchParams({ token: 'nope' }) });
    expect(wrong.status).toBe(401);
  });

  it('lets the read-only token look and simulate but not save a policy or replay', async () => {
    expect((await putPolicy(testPolicy())).status).toBe(200);
    const form = new URLSearchParams({ policy: JSON.stringify(testPolicy()) });
    const save = await call(`/console/policy/save?site=${site.id}`, { method: 'POST', body: form, headers: bearer(READONLY) });
    expect(save.status).toBe(403);
    const replay = await call(`/console/delivery/replay?site=${site.id}`, { method: 'POST', body: new URLSearchParams({ id: '1' }), headers: bearer(READONLY) });
    expect(replay.status).toBe(403);
    const sim = await call(`/console/policy/simulate?site=${site.id}`, {
      method: 'POST',
      headers: bearer(READONLY),
      body: new URLSearchParams({ event: JSON.stringify(trackEvent({ user: { email: 'ro.sim@example.com' } })), signals: '{"gpc": true}', country: 'US', region: 'CA' }),
    });
    expect(sim.status).toBe(200);
    const html = await sim.text();
    expect(html).toContain('id="sim-jurisdiction">us-optout<');
    // The form shows back what was typed; what destinations would receive has the email hashed only.
    const result = html.slice(html.indexOf('id="sim-result"'));
    expect(result).toContain('data-col="decision">limited<');
    expect(result).not.toContain('ro.sim@example.com');
  });

  it('refuses a cross-site form post even with the admin token', async () => {
    const response = await call(`/console/policy/save?site=${site.id}`, {
      method: 'POST',
      body: new URLSearchParams({ policy: '{}' }),
      headers: { ...bearer(env.ADMIN_TOKEN as string), origin: 'https://evil.example' },
    });
    expect(response.status).toBe(403);
  });

  it('shows policy validation errors at their path and keeps the live version', async () => {
    const policy = testPolicy();
    policy.jurisdictions[0].noSignal.waitMs = -5;
    const response = await call(`/console/policy/save?site=${site.id}`, { method: 'POST', body: new URLSearchParams({ policy: JSON.stringify(policy) }), headers: bearer(env.ADMIN_TOKEN as string) });
    expect(response.status).toBe(422);
    const html = await response.text();
    expect(html).toContain('<code class="path">jurisdictions[0].noSignal.waitMs</code>');
    expect((await env.DB.prepare('SELECT COUNT(*) AS n FROM policy_versions').first<{ n: number }>())!.n).toBe(0);
    const ok = await call(`/console/policy/save?site=${site.id}`, { method: 'POST', body: new URLSearchParams({ policy: JSON.stringify(testPolicy()) }), headers: bearer(env.ADMIN_TOKEN as string) });
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toContain('flash=Version+1+is+live.');
  });
});

describe('/metrics', () => {
  it('needs a scrape token', async () => {
    expect((await call('/metrics')).status).toBe(401);
    expect((await call('/metrics', { headers: bearer('wrong') })).status).toBe(401);
    expect((await call('/metrics', { headers: bearer(READONLY) })).status).toBe(200);
  });

  it('counts accepted, duplicate and rejected events by code in D1, and deliveries by outcome', async () => {
    const event = trackEvent();
    const body = JSON.stringify(batchOf([event, { type: 'track' }]));
    const first = await call(`/v1/batch?key=${WRITE_KEY}`, { method: 'POST', body, headers: { origin: ORIGIN, 'content-type': 'text/plain' } });
    expect(first.status).toBe(200);
    // The same event id again: a duplicate.
    await call(`/v1/batch?key=${WRITE_KEY}`, { method: 'POST', body: JSON.stringify(batchOf([event])), headers: { origin: ORIGIN, 'content-type': 'text/plain' } });
    await call(`/v1/batch?key=not-a-key`, { method: 'POST', body, headers: { origin: ORIGIN, 'content-type': 'text/plain' } });
    await env.DB.prepare("INSERT INTO delivery_log (site_id, destination, event_id, outcome, detail, created_at) VALUES ('test-shop', 'meta', 'e1', 'delivered', NULL, 1), ('test-shop', 'meta', 'e2', 'retried', '503', 1)").run();
    const text = await (await call('/metrics', { headers: bearer(env.ADMIN_TOKEN as string) })).text();
    expect(text).toContain('# TYPE sluice_events_total counter');
    const rejectedCode = /sluice_events_total\{code="([a-z_]+)",outcome="rejected",site="test-shop"\} 1/.exec(text);
    expect(rejectedCode?.[1]).toBeTruthy();
    expect(text).toMatch(/sluice_events_total\{code="",outcome="accepted",site="test-shop"\} 1\n/);
    expect(text).toMatch(/sluice_events_total\{code="",outcome="duplicate",site="test-shop"\} 1\n/);
    expect(text).toMatch(/sluice_batches_rejected_total\{code="unknown_write_key",site="unknown",status="401"\} 1\n/);
    expect(text).toContain('sluice_deliveries_total{site="test-shop",destination="meta",outcome="delivered"} 1');
    expect(text).toContain('sluice_delivery_retrying{site="test-shop",destination="meta"} 1');
    expect(text).toContain('# TYPE sluice_decide_latency_seconds histogram');
    expect(text).toContain('# TYPE sluice_privacy_budget_spent_total counter');
  });

  it('builds the delivery latency histogram from the audit trail and the delivery log', async () => {
    await putPolicy(testPolicy());
    const { response } = await ingest([trackEvent()], { cf: { country: 'US', regionCode: 'NY' } });
    expect(response.status).toBe(200);
    const audit = await env.DB.prepare("SELECT event_id, created_at FROM consent_audit WHERE destination = 'meta'").first<{ event_id: string; created_at: number }>();
    await env.DB.prepare("INSERT INTO delivery_log (site_id, destination, event_id, outcome, created_at) VALUES ('test-shop', 'meta', ?, 'delivered', ?)").bind(audit!.event_id, audit!.created_at + 1_500).run();
    const text = await (await call('/metrics', { headers: bearer(env.ADMIN_TOKEN as string) })).text();
    expect(text).toContain('sluice_delivery_latency_seconds_bucket{site="test-shop",destination="meta",le="1"} 0');
    expect(text).toContain('sluice_delivery_latency_seconds_bucket{site="test-shop",destination="meta",le="2.5"} 1');
    expect(text).toContain('sluice_delivery_latency_seconds_sum{site="test-shop",destination="meta"} 1.5');
    expect(text).toContain('sluice_consent_decisions_total{site="test-shop",destination="meta",decision="allow",jurisdiction="rest"} 1');
  });
});

describe('/healthz and tracing', () => {
  it('reports each binding', async () => {
    const response = await call('/healthz');
    const body = await response.json<{ ok: boolean; bindings: Record<string, string> }>();
    expect(body.bindings).toMatchObject({ CONFIG: 'ok', DB: 'ok', EVENT_IDS: 'ok', DELIVERY_META: 'ok', DEAD_LETTERS: 'ok' });
    expect(response.status).toBe(body.ok ? 200 : 503);
  });

  it('answers a request id and continues the caller’s W3C trace', async () => {
    const parent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const response = await call('/healthz', { headers: { traceparent: parent, 'x-request-id': 'req-12345678' } });
    expect(response.headers.get('x-request-id')).toBe('req-12345678');
    const trace = response.headers.get('traceparent')!;
    expect(trace).toMatch(/^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01$/);
    expect(trace).not.toBe(parent);
    const fresh = (await call('/healthz', { headers: { traceparent: '00-00000000000000000000000000000000-00f067aa0ba902b7-01' } })).headers.get('traceparent')!;
    expect(fresh).not.toContain('00000000000000000000000000000000');
  });
});

describe('/v1/event-fate', () => {
  it('tells a page what became of its own events, per destination, with the receipt', async () => {
    await putPolicy(testPolicy());
    const event = trackEvent();
    await ingest([event], { cf: { country: 'US', regionCode: 'CA' }, secGpc: true });
    const response = await call(`/v1/event-fate?key=${WRITE_KEY}&ids=${event.eventId}`, { headers: { origin: ORIGIN } });
    expect(response.status).toBe(200);
    const { events } = await response.json<{ events: Record<string, Record<string, { fate: string; consent: { rule: string } | null }>> }>();
    expect(events[event.eventId]!.meta!.fate).toBe('queued');
    expect(events[event.eventId]!.meta!.consent).not.toBeNull();
    expect(events[event.eventId]!.meta_measurement!.fate).toBe('queued');
    expect((await call(`/v1/event-fate?key=${WRITE_KEY}&ids=jane@example.com`, { headers: { origin: ORIGIN } })).status).toBe(400);
    expect((await call(`/v1/event-fate?key=${WRITE_KEY}&ids=${event.eventId}`, { headers: { origin: 'https://evil.example' } })).status).toBe(403);
  });
});
