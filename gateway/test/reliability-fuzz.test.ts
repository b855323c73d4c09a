import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import worker from '../src/index.ts';
import type { Env } from '../src/env.ts';
import { clearSiteConfigCache } from '../src/site-config/load-site-config.ts';
import type { SiteConfig } from '../src/site-config/site-config.ts';
import { clearPolicyCache } from '../src/consent/live-policy.ts';
import { recordingQueue, testPolicy } from './consent-fixtures.ts';
import { trackEvent } from './fixtures.ts';

/**
 * Issue 14 reliability suite, bad input: property-based fuzzing (fast-check, fixed seeds so a
 * failure replays) of every public and admin route, with and without a consent policy on the site.
 * Invariants: never a 5xx, every error in the documented shape, good events of a mixed batch accepted.
 */

const ORIGIN = 'https://fuzz.example';
const ADMIN_TOKEN = env.ADMIN_TOKEN;
const SITES = {
  plain: { key: 'fuzz_plain_key_0001', site: fuzzSite('fuzz-plain') },
  policy: { key: 'fuzz_policy_key_0001', site: fuzzSite('fuzz-policy') },
};
/** Statuses a client may see from these routes; anything else (and any 5xx) is a defect. */
const ALLOWED = new Set([200, 204, 400, 401, 403, 404, 413, 415, 422, 429]);
/** Runs per property: bounded so the file takes seconds on a loaded 2-core machine. */
const RUNS = 120;

function fuzzSite(id: string): SiteConfig {
  return {
    id,
    allowedOrigins: [ORIGIN],
    destinations: {
      meta: { type: 'meta', pixelId: '1234567890', accessTokenSecret: 'META_TOKEN_TEST' },
      meta_measurement: { type: 'meta', pixelId: '9876543210', accessTokenSecret: 'META_TOKEN_TEST' },
    },
  };
}

/** Every delivery queue records instead of sending, so fuzzing leaves no background deliveries. */
function isolatedEnv(): Env {
  const { queue } = recordingQueue();
  return { ...(env as Env), DELIVERY: queue, DELIVERY_META: queue, DELIVERY_GA4: queue, DELIVERY_GOOGLE_ADS: queue, DELIVERY_TIKTOK: queue } as Env;
}

async function call(request: Request): Promise<{ status: number; text: string; headers: Headers }> {
  const ctx = createExecutionContext();
  const response = await worker.fetch(request, isolatedEnv(), ctx);
  const text = await response.text();
  await waitOnExecutionContext(ctx);
  return { status: response.status, text, headers: response.headers };
}

/** The documented contract for every answer. */
function expectContract(answer: { status: number; text: string }, label: string) {
  expect(ALLOWED.has(answer.status), `${label}: ${answer.status} ${answer.text.slice(0, 300)}`).toBe(true);
  if (answer.status === 204) return;
  let json: any;
  expect(() => (json = JSON.parse(answer.text)), `${label}: not JSON: ${answer.text.slice(0, 200)}`).not.toThrow();
  if (answer.status >= 400) {
    expect(typeof json.error?.code, `${label}: ${answer.text.slice(0, 200)}`).toBe('string');
    expect(typeof json.error?.message, label).toBe('string');
  }
}

beforeAll(async () => {
  for (const { key, site } of Object.values(SITES)) {
    await env.CONFIG.put(`writekey:${key}`, site.id);
    await env.CONFIG.put(`site:${site.id}`, JSON.stringify(site));
  }
  const put = await worker.fetch(
    new Request(`https://gw.example/v1/admin/sites/${SITES.policy.site.id}/policy`, { method: 'PUT', headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(testPolicy()) }),
    env as Env,
    createExecutionContext(),
  );
  expect(put.status).toBe(200);
  clearSiteConfigCache();
  clearPolicyCache();
});

/** JSON-ish values with the shapes that break parsers and validators. */
const nasty = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(null, true, false, 0, -1, 1e308, -0, '', ' ', '\u0000', '\ud800', '__proto__', 'constructor', '2026-13-45T99:99:99Z', '<script>'),
    fc.string({ maxLength: 40 }),
    fc.double(),
    fc.integer(),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('__proto__', 'constructor', 'prototype', 'type', 'eventId', 'events')), tie('value'), { maxKeys: 5 }),
  ),
})).value;

/** A valid event with one field replaced by a nasty value (or an extra nasty field); made when sent, so event ids are fresh. */
const mutatedEvent = fc
  .record({ field: fc.constantFrom('type', 'event', 'eventId', 'timestamp', 'anonymousId', 'properties', 'user', 'context', 'consent', 'extra', 'userId'), value: nasty })
  .map(({ field, value }) => () => ({ ...trackEvent(), [field]: value }));

function deep(depth: number, array: boolean): unknown {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = array ? [v] : { a: v };
  return v;
}

const sentAt = () => new Date().toISOString();
const batchOf = (events: unknown[]) => JSON.stringify({ sentAt: sentAt(), events });

/**
 * Whole request bodies — valid-ish batches, raw garbage text, deep and huge documents, `__proto__`
 * keys, invalid UTF-8 — built when sent (fresh event ids, so shrinking never replays accepted ids).
 * `good`: events in it known valid; `events`: how many the batch holds (0 when it is no batch).
 */
type Body = { make: () => string | Uint8Array; good: number; events: number };
const batchBody: fc.Arbitrary<Body> = fc.oneof(
  fc.record({ good: fc.integer({ min: 0, max: 3 }), bad: fc.array(mutatedEvent, { minLength: 1, maxLength: 4 }) }).map(({ good, bad }) => ({
    make: () => batchOf([...Array.from({ length: good }, () => trackEvent()), ...bad.map((m) => m())]),
    good,
    events: good + bad.length,
  })),
  fc.string({ maxLength: 200 }).map((text) => ({ make: () => text, good: 0, events: 0 })),
  nasty.map((value) => ({ make: () => JSON.stringify(value) ?? 'undefined', good: 0, events: 0 })),
  fc.record({ depth: fc.integer({ min: 17, max: 20_000 }), array: fc.boolean() }).map(({ depth, array }) => ({
    make: () => batchOf([trackEvent({ properties: { deep: deep(depth, array) } }), trackEvent()]),
    good: 1,
    events: 2,
  })),
  // `__proto__` in an event: that event is rejected (strict schema), its neighbours accepted.
  fc.integer({ min: 1, max: 3 }).map((n) => ({
    make: () => `{"sentAt":"${sentAt()}","events":[${JSON.stringify(trackEvent())},${JSON.stringify(trackEvent()).replace('{', '{"__proto__":{"admin":true},')}${',{"type":"track"}'.repeat(n)}]}`,
    good: 1,
    events: 2 + n,
  })),
  // `__proto__` in the envelope: the envelope is invalid, the request a 400.
  fc.constant({ make: () => `{"sentAt":"${sentAt()}","__proto__":{"polluted":true},"events":[${JSON.stringify(trackEvent())}]}`, good: 0, events: 0 }),
  fc.uint8Array({ minLength: 1, maxLength: 300 }).map((bytes) => ({ make: () => bytes, good: 0, events: 0 })),
  fc.constant({ make: () => batchOf([trackEvent({ properties: { pad: 'x'.repeat(600_000) } })]), good: 0, events: 0 }),
);

const headerNoise = fc.record({
  cookie: fc.option(fc.string({ minLength: 0, maxLength: 16_000 }), { nil: undefined }),
  type: fc.constantFrom('text/plain', 'application/json', 'application/json; charset=utf-8', 'text/html', '', 'multipart/form-data'),
  noisy: fc.option(fc.string({ maxLength: 8_000 }).map((s) => s.replace(/[^\x20-\x7e]/g, 'x')), { nil: undefined }),
});

function headersOf(noise: { cookie?: string | undefined; type: string; noisy?: string | undefined }): Headers {
  const headers = new Headers({ origin: ORIGIN });
  if (noise.type) headers.set('content-type', noise.type);
  if (noise.cookie !== undefined) headers.set('cookie', noise.cookie.replace(/[^\x20-\x7e]/g, 'x'));
  if (noise.noisy !== undefined) headers.set('x-noise', noise.noisy);
  return headers;
}

describe.each(Object.entries(SITES))('fuzzing a site %s a consent policy', (name, { key }) => {
  it(`POST /v1/batch (${name}): never 5xx, documented errors, good events of a mixed batch accepted`, { timeout: 120_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(batchBody, headerNoise, async ({ make, good, events }, noise) => {
        const body = make();
        const answer = await call(new Request(`https://gw.example/v1/batch?key=${key}`, { method: 'POST', headers: headersOf(noise), body }));
        expectContract(answer, `batch ${name}`);
        const json = JSON.parse(answer.text);
        const sentAsJsonOrText = ['text/plain', 'application/json', 'application/json; charset=utf-8', ''].includes(noise.type);
        if (good > 0 && sentAsJsonOrText) {
          // A mixed batch: the good events are accepted (fresh ids), every event is accounted for.
          expect(answer.status, answer.text.slice(0, 300)).toBe(200);
          expect(json.accepted, answer.text.slice(0, 300)).toBeGreaterThanOrEqual(good);
          expect(json.accepted + json.duplicates + json.rejected.length).toBe(events);
        }
        // Nothing from `__proto__` keys may leak into the answer or the prototype.
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
        expect(({} as Record<string, unknown>).admin).toBeUndefined();
      }),
      { numRuns: RUNS, seed: name === 'plain' ? 1401 : 1402 },
    );
  });

  it(`GET /v1/config and POST /v1/pixel-ids (${name}): never 5xx`, { timeout: 120_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({ query: fc.string({ maxLength: 300 }), body: fc.oneof(fc.string({ maxLength: 300 }), nasty.map((v) => JSON.stringify(v) ?? ''), fc.uint8Array({ maxLength: 200 })), noise: headerNoise, keyed: fc.boolean() }),
        async ({ query, body, noise, keyed }) => {
          const q = `${keyed ? `key=${key}&` : ''}${encodeURIComponent(query)}`;
          expectContract(await call(new Request(`https://gw.example/v1/config?${q}`, { headers: headersOf(noise) })), `config ${name}`);
          expectContract(await call(new Request(`https://gw.example/v1/pixel-ids?${q}`, { method: 'POST', headers: headersOf(noise), body })), `pixel-ids ${name}`);
        },
      ),
      { numRuns: RUNS, seed: 1403 },
    );
  });

  it(`every admin route (${name}): never 5xx, for any path id, query and body`, { timeout: 120_000 }, async () => {
    const siteId = name === 'plain' ? SITES.plain.site.id : SITES.policy.site.id;
    const routes: Array<{ method: string; path: (id: string, n: string) => string }> = [
      { method: 'GET', path: (id) => `/v1/admin/sites/${id}/dead-letters` },
      { method: 'POST', path: (id) => `/v1/admin/sites/${id}/dead-letters/replay` },
      { method: 'GET', path: (id) => `/v1/admin/sites/${id}/destinations/status` },
      { method: 'GET', path: (id) => `/v1/admin/sites/${id}/dedup-audit` },
      { method: 'GET', path: (id) => `/v1/admin/sites/${id}/policy` },
      { method: 'PUT', path: (id) => `/v1/admin/sites/${id}/policy` },
      { method: 'GET', path: (id) => `/v1/admin/sites/${id}/policy/history` },
      { method: 'GET', path: (id, n) => `/v1/admin/sites/${id}/policy/versions/${n}` },
      { method: 'POST', path: (id) => `/v1/admin/sites/${id}/policy/simulate` },
      { method: 'PUT', path: () => '/v1/admin/gvl' },
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          route: fc.constantFrom(...routes),
          id: fc.oneof(fc.constant(siteId), fc.string({ maxLength: 700 }).map((s) => encodeURIComponent(s) || 'x'), fc.constant('a'.repeat(63)), fc.constant('a'.repeat(64))),
          n: fc.oneof(fc.nat().map(String), fc.string({ maxLength: 20 }).map((s) => encodeURIComponent(s) || '0')),
          query: fc.dictionary(fc.constantFrom('limit', 'before', 'destination', 'open', 'days', 'x'), fc.oneof(fc.string({ maxLength: 30 }), fc.integer().map(String)), { maxKeys: 3 }),
          body: fc.oneof(fc.string({ maxLength: 300 }), nasty.map((v) => JSON.stringify(v) ?? ''), fc.uint8Array({ maxLength: 200 }), fc.constant('{"ids":[1,2,'), fc.constant('')),
          yaml: fc.boolean(),
          token: fc.constantFrom(`Bearer ${ADMIN_TOKEN}`, `Bearer ${ADMIN_TOKEN}x`, '', 'Basic abc'),
        }),
        async ({ route, id, n, query, body, yaml, token }) => {
          const url = `https://gw.example${route.path(id, n)}?${new URLSearchParams(query)}`;
          const headers: Record<string, string> = { 'content-type': yaml ? 'application/yaml' : 'application/json' };
          if (token) headers.authorization = token;
          const init: RequestInit = { method: route.method, headers, ...(route.method === 'GET' ? {} : { body }) };
          expectContract(await call(new Request(url, init)), `${route.method} ${route.path('<id>', '<n>')}`);
        },
      ),
      { numRuns: RUNS * 2, seed: 1404 },
    );
  });
});
