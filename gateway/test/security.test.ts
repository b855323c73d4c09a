import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import worker from '../src/index.ts';
import type { Env } from '../src/env.ts';
import { RATE_LIMIT_PERIOD_SECONDS } from '../src/rate-limit/ingest-rate-limit.ts';
import { clearSiteConfigCache } from '../src/site-config/load-site-config.ts';
import { recordingQueue } from './consent-fixtures.ts';
import { trackEvent } from './fixtures.ts';

/** Issue 14 reliability suite, security cases: keys, origins, admin tokens, id limits, CORS, rate limits. */

const ORIGIN = 'https://sec.example';
const KEY = 'sec_site_write_key_01';
const SITE = { id: 'sec-site', allowedOrigins: [ORIGIN], destinations: { meta: { type: 'meta', pixelId: '1234567890', accessTokenSecret: 'META_TOKEN_TEST' } } };

function isolatedEnv(overrides: Partial<Env> = {}): Env {
  const { queue } = recordingQueue();
  return { ...(env as Env), DELIVERY: queue, DELIVERY_META: queue, DELIVERY_GA4: queue, DELIVERY_GOOGLE_ADS: queue, DELIVERY_TIKTOK: queue, ...overrides } as Env;
}

async function call(request: Request, target: Env = isolatedEnv()) {
  const ctx = createExecutionContext();
  const response = await worker.fetch(request, target, ctx);
  await waitOnExecutionContext(ctx);
  return response;
}

const batch = () => JSON.stringify({ sentAt: new Date().toISOString(), events: [trackEvent()] });
const postBatch = (init: { key?: string; origin?: string | null; headers?: Record<string, string> } = {}) =>
  new Request(`https://gw.example/v1/batch?key=${init.key ?? KEY}`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain', ...(init.origin !== null && { origin: init.origin ?? ORIGIN }), ...init.headers },
    body: batch(),
  });

beforeAll(async () => {
  await env.CONFIG.put(`writekey:${KEY}`, SITE.id);
  await env.CONFIG.put(`site:${SITE.id}`, JSON.stringify(SITE));
  clearSiteConfigCache();
});

describe('write keys and origins', () => {
  it('an unknown, malformed, too long or missing write key is 401 on every site endpoint', async () => {
    for (const key of ['unknown_key_000001', 'short', 'x'.repeat(129), 'bad key!', '']) {
      for (const request of [
        postBatch({ key }),
        new Request(`https://gw.example/v1/pixel-ids?key=${encodeURIComponent(key)}`, { method: 'POST', headers: { origin: ORIGIN }, body: '{}' }),
        new Request(`https://gw.example/v1/config?key=${encodeURIComponent(key)}`, { headers: { origin: ORIGIN } }),
      ]) {
        const response = await call(request);
        expect(response.status, `${key.slice(0, 12)} ${request.url.slice(0, 40)}`).toBe(401);
        expect(((await response.json()) as any).error.code).toMatch(/write_key/);
        expect(response.headers.get('access-control-allow-origin')).toBeNull();
      }
    }
    // 128 characters is the longest well-formed key: unknown, still 401, never 500.
    expect((await call(postBatch({ key: 'k'.repeat(128) }))).status).toBe(401);
  });

  it('a foreign Origin is 403 without a CORS grant; so is a missing one without a source secret', async () => {
    for (const origin of ['https://evil.example', 'https://sec.example.evil.example', 'http://sec.example', 'null', null]) {
      const response = await call(postBatch({ origin }));
      expect(response.status, String(origin)).toBe(403);
      expect(((await response.json()) as any).error.code).toBe('origin_not_allowed');
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
    }
  });
});

describe('CORS preflight', () => {
  const preflight = (path: string, origin: string) =>
    call(new Request(`https://gw.example${path}?key=${KEY}`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } }));

  it('grants exactly the allowed origin, never a wildcard, and never the Authorization header (source secrets stay server-side)', async () => {
    for (const path of ['/v1/batch', '/v1/pixel-ids']) {
      const ok = await preflight(path, ORIGIN);
      expect(ok.status).toBe(204);
      expect(ok.headers.get('access-control-allow-origin')).toBe(ORIGIN);
      expect(ok.headers.get('access-control-allow-headers')?.toLowerCase()).not.toContain('authorization');
      expect(ok.headers.get('vary')).toContain('Origin');
      const foreign = await preflight(path, 'https://evil.example');
      expect(foreign.status).toBe(403);
      expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
    }
  });
});

describe('admin token', () => {
  const routes = ['dead-letters', 'destinations/status', 'dedup-audit', 'policy', 'policy/history'];
  it('missing, wrong, prefix, longer or non-Bearer tokens are 401 with WWW-Authenticate on every admin route', async () => {
    const right = env.ADMIN_TOKEN;
    const wrong = ['', 'Bearer ', `Bearer ${right.slice(0, -1)}`, `Bearer ${right}x`, `Bearer ${right.toUpperCase()}`, `Basic ${right}`, right, `Bearer ${'a'.repeat(right.length)}`];
    for (const path of routes) {
      for (const authorization of wrong) {
        const headers: Record<string, string> = authorization ? { authorization } : {};
        const response = await call(new Request(`https://gw.example/v1/admin/sites/${SITE.id}/${path}`, { headers }));
        expect(response.status, `${path} ${authorization.slice(0, 10)}`).toBe(401);
        expect(response.headers.get('www-authenticate')).toBe('Bearer');
        expect(((await response.json()) as any).error.code).toBe('unauthorized');
      }
      const ok = await call(new Request(`https://gw.example/v1/admin/sites/${SITE.id}/${path}`, { headers: { authorization: `Bearer ${right}` } }));
      expect(ok.status, path).toBeLessThan(500);
      expect(ok.status, path).not.toBe(401);
    }
    const gvl = await call(new Request('https://gw.example/v1/admin/gvl', { method: 'PUT', body: '{}' }));
    expect(gvl.status).toBe(401);
  });

  it('with no ADMIN_TOKEN configured the admin API is closed, even to an empty bearer', async () => {
    const closed = isolatedEnv({ ADMIN_TOKEN: undefined });
    for (const authorization of ['Bearer ', 'Bearer undefined', `Bearer ${env.ADMIN_TOKEN}`]) {
      expect((await call(new Request(`https://gw.example/v1/admin/sites/${SITE.id}/dead-letters`, { headers: { authorization } }), closed)).status).toBe(401);
    }
  });
});

describe('ids at and past their length limits', () => {
  const admin = (path: string, init: RequestInit = {}) =>
    call(new Request(`https://gw.example/v1/admin/sites/${path}`, { ...init, headers: { authorization: `Bearer ${env.ADMIN_TOKEN}`, 'content-type': 'application/json' } }));

  it('site ids: 63 characters well-formed (404 unknown), 64 and 600 rejected with 400', async () => {
    expect((await admin(`${'a'.repeat(63)}/dead-letters`)).status).toBe(404);
    expect((await admin(`${'a'.repeat(64)}/dead-letters`)).status).toBe(400);
    expect((await admin(`${'a'.repeat(600)}/policy`)).status).toBe(400);
  });

  it('destination keys: 32 characters accepted, 33 rejected; replay ids: 500 accepted, 501 rejected', async () => {
    expect((await admin(`${SITE.id}/dead-letters?destination=${'d'.repeat(32)}`)).status).toBe(200);
    expect((await admin(`${SITE.id}/dead-letters?destination=${'d'.repeat(33)}`)).status).toBe(400);
    const ids = (n: number) => JSON.stringify({ ids: Array.from({ length: n }, (_, i) => i + 1) });
    expect((await admin(`${SITE.id}/dead-letters/replay`, { method: 'POST', body: ids(500) })).status).toBe(200);
    expect((await admin(`${SITE.id}/dead-letters/replay`, { method: 'POST', body: ids(501) })).status).toBe(400);
  });

  it('event ids must be UUIDs: a 37-character or non-UUID id is a per-event rejection', async () => {
    const response = await call(new Request(`https://gw.example/v1/batch?key=${KEY}`, {
      method: 'POST',
      headers: { origin: ORIGIN },
      body: JSON.stringify({ sentAt: new Date().toISOString(), events: [trackEvent(), trackEvent({ eventId: `${crypto.randomUUID()}0` }), trackEvent({ eventId: 'x'.repeat(10_000) })] }),
    }));
    const body = (await response.json()) as any;
    expect(body.accepted).toBe(1);
    expect(body.rejected.map((r: { index: number }) => r.index)).toEqual([1, 2]);
  });
});

describe('rate limits', () => {
  it('per client IP (the real binding): past the limit a 429 with Retry-After and the error shape, other IPs unaffected', { timeout: 60_000 }, async () => {
    const ip = `198.51.100.${crypto.getRandomValues(new Uint8Array(1))[0]! % 250}`;
    let accepted = 0;
    let limited: Response | undefined;
    // The window is fixed (10 s): a rollover mid-run may grant one more window, so allow for two.
    for (let i = 0; i < 2 * 200 + 5 && !limited; i++) {
      const response = await call(postBatch({ headers: { 'cf-connecting-ip': ip } }));
      if (response.status === 429) limited = response;
      else {
        expect(response.status).toBe(200);
        accepted++;
      }
    }
    expect(limited, 'never limited').toBeDefined();
    expect(accepted).toBeGreaterThanOrEqual(200);
    expect(limited!.headers.get('retry-after')).toBe(String(RATE_LIMIT_PERIOD_SECONDS));
    expect(limited!.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(((await limited!.json()) as any).error.code).toBe('rate_limited');
    expect((await call(postBatch({ headers: { 'cf-connecting-ip': '192.0.2.77' } }))).status).toBe(200);
  });

  it('per write key, whatever the IP: a limited key gets 429 before its events are claimed', async () => {
    // A stand-in for the platform binding with a limit of 3 (the real one is configured in wrangler.toml).
    const counts = new Map<string, number>();
    const small: RateLimit = { limit: async ({ key }) => { const n = (counts.get(key) ?? 0) + 1; counts.set(key, n); return { success: n <= 3 }; } };
    const target = isolatedEnv({ RATE_LIMIT_WRITE_KEY: small });
    const statuses: number[] = [];
    const event = trackEvent();
    for (let i = 0; i < 5; i++) {
      const response = await call(new Request(`https://gw.example/v1/batch?key=${KEY}`, { method: 'POST', headers: { origin: ORIGIN, 'cf-connecting-ip': `203.0.113.${i + 1}` }, body: JSON.stringify({ sentAt: new Date().toISOString(), events: i === 4 ? [event] : [trackEvent()] }) }), target);
      statuses.push(response.status);
      if (response.status === 429) expect(response.headers.get('retry-after')).toBe(String(RATE_LIMIT_PERIOD_SECONDS));
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    expect([...counts.keys()]).toEqual([`key:${KEY}`]);
    // The limited batch's event was not claimed: sent again later, it is accepted.
    const later = await call(new Request(`https://gw.example/v1/batch?key=${KEY}`, { method: 'POST', headers: { origin: ORIGIN }, body: JSON.stringify({ sentAt: new Date().toISOString(), events: [event] }) }));
    expect(((await later.json()) as any).accepted).toBe(1);
  });
});
