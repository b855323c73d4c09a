import { env, createExecutionContext } from 'cloudflare:test';
import { beforeEach, describe, expect, it } from 'vitest';
import worker from '../src/index.ts';
import type { Env } from '../src/env.ts';
import { ORIGIN, WRITE_KEY, seedSite } from './fixtures.ts';
import lrManifest from '../../edge-models/models/obd-click-lr/1.0.0/manifest.json';
import { visitorBucket } from '../src/models/choose-version.ts';

const ADMIN = { authorization: `Bearer ${env.ADMIN_TOKEN}`, 'content-type': 'application/json' };
const BASE = 'https://gw.example';
const ADMIN_BASE = `${BASE}/v1/admin/sites/test-shop/models`;
const NAME = 'obd-click-lr';

async function call(url: string, init: RequestInit = {}) {
  const response = await worker.fetch(new Request(url, init), env as Env, createExecutionContext());
  const type = response.headers.get('content-type') ?? '';
  const body = type.includes('json') ? ((await response.json()) as Record<string, any>) : new Uint8Array(await response.arrayBuffer());
  return { status: response.status, body: body as any, headers: response.headers };
}

async function sha256(bytes: Uint8Array): Promise<string> {
  return Array.from(new Uint8Array(await crypto.subtle.digest('SHA-256', bytes)), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** A version to publish: the committed manifest with this version's own file bytes and digest. */
async function version(v: string, seed: number) {
  const file = Uint8Array.from({ length: 300 }, (_, i) => (i * 31 + seed) & 0xff);
  const manifest = { ...lrManifest, version: v, bytes: file.byteLength, sha256: await sha256(file) };
  return { file, manifest, body: JSON.stringify({ manifest, file: btoa(String.fromCharCode(...file)) }) };
}

const publish = async (v: string, seed: number) => call(`${ADMIN_BASE}/${NAME}/versions/${v}`, { method: 'PUT', headers: ADMIN, body: (await version(v, seed)).body });
const rollout = (change: object) => call(`${ADMIN_BASE}/${NAME}/rollout`, { method: 'POST', headers: ADMIN, body: JSON.stringify(change) });
const assignment = (vid?: string) => call(`${BASE}/v1/models/${NAME}?key=${WRITE_KEY}${vid ? `&vid=${vid}` : ''}`, { headers: { origin: ORIGIN } });

beforeEach(async () => {
  await seedSite();
  await env.DB.prepare('DELETE FROM model_versions').run();
  await env.DB.prepare('DELETE FROM model_changes').run();
  const keys = await env.CONFIG.list({ prefix: 'model-' });
  await Promise.all(keys.keys.map((k) => env.CONFIG.delete(k.name)));
});

describe('model registry', () => {
  it('publishes a version, serves it live, and serves the file immutable with ETag = SHA-256 (304 on a match)', async () => {
    const v1 = await version('1.0.0', 1);
    expect((await publish('1.0.0', 1)).status).toBe(201);
    expect((await assignment('visitor-0001')).body).toMatchObject({ cohort: 'none', manifest: null });
    expect((await rollout({ action: 'set-live', version: '1.0.0' })).status).toBe(200);
    const a = await assignment('visitor-0001');
    expect(a.status).toBe(200);
    // revalidated on every use: the browser may keep it, but asks again (ETag → 304) before each use
    expect(a.headers.get('cache-control')).toBe('private, no-cache');
    expect(a.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(a.body).toMatchObject({ cohort: 'live', killed: false, manifest: { name: NAME, version: '1.0.0', sha256: v1.manifest.sha256 }, url: `/v1/models/${NAME}/1.0.0?key=${WRITE_KEY}` });
    const file = await call(`${BASE}${a.body.url}`, { headers: { origin: ORIGIN } });
    expect(file.status).toBe(200);
    expect(file.body).toEqual(v1.file);
    expect(file.headers.get('etag')).toBe(`"${v1.manifest.sha256}"`);
    expect(file.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const again = await call(`${BASE}${a.body.url}`, { headers: { 'if-none-match': `"${v1.manifest.sha256}"` } });
    expect(again.status).toBe(304);
  });

  it('refuses a file whose SHA-256 or size differs from its manifest, a name mismatch, and a changed file under a published version', async () => {
    const v = await version('1.0.0', 1);
    const tampered = { ...v.manifest, sha256: 'f'.repeat(64) };
    const bad = await call(`${ADMIN_BASE}/${NAME}/versions/1.0.0`, { method: 'PUT', headers: ADMIN, body: JSON.stringify({ manifest: tampered, file: btoa(String.fromCharCode(...v.file)) }) });
    expect(bad.status).toBe(422);
    expect(bad.body.error.code).toBe('invalid_model');
    const badSpec = { ...v.manifest, featureSpec: v.manifest.featureSpec.slice(1) };
    const spec = await call(`${ADMIN_BASE}/${NAME}/versions/1.0.0`, { method: 'PUT', headers: ADMIN, body: JSON.stringify({ manifest: badSpec, file: btoa(String.fromCharCode(...v.file)) }) });
    expect([spec.status, spec.body.error.message]).toEqual([422, expect.stringContaining('featureSpec')]);
    const wrongName = await call(`${ADMIN_BASE}/other-model/versions/1.0.0`, { method: 'PUT', headers: ADMIN, body: v.body });
    expect(wrongName.status).toBe(422);
    expect((await publish('1.0.0', 1)).status).toBe(201);
    expect((await publish('1.0.0', 1)).body).toMatchObject({ published: false });
    const changed = await publish('1.0.0', 2);
    expect(changed.status).toBe(409);
    expect(changed.body.error.code).toBe('conflict');
    expect((await call(`${ADMIN_BASE}/${NAME}/versions/1.0.0`, { method: 'PUT', headers: ADMIN, body: '{nope' })).status).toBe(400);
    expect((await call(`${ADMIN_BASE}/${NAME}/versions/1.0.0`, { method: 'PUT', headers: { ...ADMIN, authorization: 'Bearer nope' }, body: v.body })).status).toBe(401);
  });

  it('assigns the canary by a stable hash of the visitor id, to about the configured share', async () => {
    await publish('1.0.0', 1);
    await publish('1.1.0', 2);
    await rollout({ action: 'set-live', version: '1.0.0' });
    expect((await rollout({ action: 'canary', version: '1.1.0', percent: 20 })).status).toBe(200);
    const ids = Array.from({ length: 200 }, (_, i) => `visitor-${String(i).padStart(4, '0')}`);
    const cohorts: string[] = [];
    for (const id of ids) {
      const a = await assignment(id);
      const expected = (await visitorBucket(NAME, id)) < 2000 ? 'canary' : 'live';
      expect(a.body.cohort).toBe(expected);
      expect(a.body.manifest.version).toBe(expected === 'canary' ? '1.1.0' : '1.0.0');
      cohorts.push(a.body.cohort);
    }
    const share = cohorts.filter((c) => c === 'canary').length / ids.length;
    expect(share).toBeGreaterThan(0.12);
    expect(share).toBeLessThan(0.28);
    expect((await assignment(ids[0]!)).body.cohort).toBe(cohorts[0]);
    expect((await assignment()).body.cohort).toBe('live');
    // the SDK sends the bucket it hashed itself (no visitor id in the URL); out-of-range buckets are ignored
    const bucketed = (b: string) => call(`${BASE}/v1/models/${NAME}?key=${WRITE_KEY}&b=${b}`, { headers: { origin: ORIGIN } });
    expect((await bucketed('1999')).body.cohort).toBe('canary');
    expect((await bucketed('2000')).body.cohort).toBe('live');
    expect((await bucketed('99999')).body.cohort).toBe('live');
  });

  it('kill switch serves no model; shadow is offered beside the live one; rollback returns to the previous live version', async () => {
    await publish('1.0.0', 1);
    await publish('1.1.0', 2);
    await rollout({ action: 'set-live', version: '1.0.0' });
    await rollout({ action: 'shadow', version: '1.1.0' });
    const shadowed = await assignment('visitor-0001');
    expect(shadowed.body).toMatchObject({ cohort: 'live', manifest: { version: '1.0.0' }, shadow: { manifest: { version: '1.1.0' }, url: `/v1/models/${NAME}/1.1.0?key=${WRITE_KEY}` } });
    await rollout({ action: 'kill', killed: true });
    expect((await assignment('visitor-0001')).body).toMatchObject({ killed: true, cohort: 'killed', manifest: null, url: null, shadow: null });
    await rollout({ action: 'kill', killed: false });
    await rollout({ action: 'set-live', version: '1.1.0' });
    expect((await assignment('visitor-0001')).body.manifest.version).toBe('1.1.0');
    await rollout({ action: 'rollback' });
    expect((await assignment('visitor-0001')).body.manifest.version).toBe('1.0.0');
    const history = await call(`${ADMIN_BASE}/${NAME}/history`, { headers: ADMIN });
    expect(history.body.changes.map((c: { revision: number; action: string }) => `${c.revision}:${c.action}`)).toEqual([
      '8:rollback', '7:set-live', '6:kill', '5:kill', '4:shadow', '3:set-live', '2:publish', '1:publish',
    ]);
    expect(history.body.changes[0].state).toMatchObject({ live: '1.0.0', previousLive: '1.1.0', revision: 8 });
  });

  it('a kill switch or rollback is served from the very next request: no max-age, the ETag changes, and the state is D1\'s, not KV\'s', async () => {
    await publish('1.0.0', 1);
    await publish('1.1.0', 2);
    await rollout({ action: 'set-live', version: '1.0.0' });
    await rollout({ action: 'set-live', version: '1.1.0' });
    const a = await assignment('visitor-0001');
    const etag = a.headers.get('etag')!;
    expect(etag).toMatch(/^"[0-9a-f]{32}"$/);
    const revalidate = (tag: string) => call(`${BASE}/v1/models/${NAME}?key=${WRITE_KEY}&vid=visitor-0001`, { headers: { origin: ORIGIN, 'if-none-match': tag } });
    const unchanged = await revalidate(etag);
    expect([unchanged.status, unchanged.headers.get('etag'), unchanged.headers.get('cache-control'), unchanged.headers.get('access-control-allow-origin')]).toEqual([304, etag, 'private, no-cache', ORIGIN]);
    // a location whose KV still holds an older state (KV propagates in up to 60 s) must not serve it
    await env.CONFIG.put(`model-state:test-shop:${NAME}`, JSON.stringify({ revision: 4, versions: ['1.0.0', '1.1.0'], live: '1.1.0', previousLive: '1.0.0', canary: null, shadow: null, killed: false }));
    await rollout({ action: 'rollback' });
    const rolledBack = await revalidate(etag);
    expect([rolledBack.status, rolledBack.body.manifest?.version]).toEqual([200, '1.0.0']);
    expect(rolledBack.headers.get('etag')).not.toBe(etag);
    await rollout({ action: 'kill', killed: true });
    const killed = await revalidate(rolledBack.headers.get('etag')!);
    expect([killed.status, killed.body.killed, killed.body.manifest]).toEqual([200, true, null]);
    // a version published moments ago is served even where its KV manifest is not readable yet
    await env.CONFIG.delete(`model-manifest:test-shop:${NAME}:1.1.0`);
    await rollout({ action: 'kill', killed: false });
    await rollout({ action: 'set-live', version: '1.1.0' });
    expect((await assignment('visitor-0001')).body.manifest).toMatchObject({ version: '1.1.0', sha256: (await version('1.1.0', 2)).manifest.sha256 });
    const file = await call(`${BASE}/v1/models/${NAME}/1.1.0?key=${WRITE_KEY}`, { headers: { 'if-none-match': `"${(await version('1.1.0', 2)).manifest.sha256}"` } });
    expect(file.status).toBe(304);
  });

  it('rejects changes the state does not allow and bad input with clear 4xx errors', async () => {
    expect((await rollout({ action: 'rollback' })).status).toBe(404);
    await publish('1.0.0', 1);
    const unknown = await rollout({ action: 'set-live', version: '9.9.9' });
    expect([unknown.status, unknown.body.error.code]).toEqual([409, 'conflict']);
    expect((await rollout({ action: 'rollback' })).status).toBe(409);
    const invalid = await rollout({ action: 'canary', version: '1.0.0', percent: 101 });
    expect([invalid.status, invalid.body.error.code]).toEqual([422, 'invalid_model']);
    expect((await rollout({ action: 'explode' })).status).toBe(422);
    expect((await call(`${BASE}/v1/models/${NAME}`, { headers: { origin: ORIGIN } })).status).toBe(401);
    expect((await call(`${BASE}/v1/models/${NAME}?key=${WRITE_KEY}`, { headers: { origin: 'https://evil.example' } })).status).toBe(403);
    expect((await call(`${BASE}/v1/models/Not_A_Model?key=${WRITE_KEY}`)).status).toBe(404);
    expect((await call(`${BASE}/v1/models/${NAME}/2.0.0?key=${WRITE_KEY}`)).status).toBe(404);
    expect((await call(`${BASE}/v1/models/${NAME}/..%2F..?key=${WRITE_KEY}`)).status).toBe(404);
  });
});
