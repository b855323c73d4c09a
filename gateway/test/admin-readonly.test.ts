import { env, createExecutionContext } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import worker, { app } from '../src/index.ts';
import type { Env } from '../src/env.ts';
import { seedSite, site } from './fixtures.ts';

const READONLY = { authorization: `Bearer ${env.ADMIN_READONLY_TOKEN}`, 'content-type': 'application/json' };

/** Every admin route the app has, with its path parameters filled in. */
function adminRoutes(): Array<{ method: string; path: string }> {
  const seen = new Set<string>();
  const out: Array<{ method: string; path: string }> = [];
  for (const route of app.routes) {
    if (!route.path.startsWith('/v1/admin') || route.method === 'ALL' || route.path.endsWith('*')) continue;
    const path = route.path
      .replace(/:site\b/, site.id)
      .replace(/:version(\{[^}]*\})?/, '1')
      .replace(/:id(\{[^}]*\})?/, crypto.randomUUID())
      .replace(/:[a-zA-Z]+(\{[^}]*\})?/g, '1');
    const key = `${route.method} ${path}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ method: route.method, path });
  }
  return out;
}

async function state(): Promise<string> {
  const tables = ['admin_audit', 'policy_versions', 'plan_versions', 'deletion_requests', 'suppressions', 'dead_letters', 'quarantine'];
  let out = '';
  for (const t of tables) out += JSON.stringify((await env.DB.prepare(`SELECT * FROM ${t}`).all()).results);
  const keys = await env.CONFIG.list();
  for (const k of keys.keys) out += `${k.name}=${await env.CONFIG.get(k.name)}`;
  return out;
}

beforeAll(() => seedSite());

describe('the read-only admin token', () => {
  it('is refused with 403 by every admin route that changes something, and nothing changes', async () => {
    const writes = adminRoutes().filter((r) => r.method !== 'GET' && r.method !== 'HEAD');
    // Policy PUT/simulate, GVL PUT, dead-letter replay, plan PUT/simulate/replay, deletions at least.
    expect(writes.length).toBeGreaterThanOrEqual(8);
    const before = await state();
    for (const route of writes) {
      const response = await worker.fetch(
        new Request(`https://gw.example${route.path}`, { method: route.method, headers: READONLY, body: JSON.stringify({ siteId: site.id, email: 'a@b.co', version: 1, events: {} }) }),
        env as Env,
        createExecutionContext(),
      );
      expect(response.status, `${route.method} ${route.path}`).toBe(403);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('forbidden');
    }
    expect(await state()).toBe(before);
  });

  it('can read status and records (every GET route answers without 401/403)', async () => {
    const reads = adminRoutes().filter((r) => r.method === 'GET');
    expect(reads.length).toBeGreaterThanOrEqual(10);
    for (const route of reads) {
      const response = await worker.fetch(new Request(`https://gw.example${route.path}`, { headers: READONLY }), env as Env, createExecutionContext());
      expect([401, 403], `${route.method} ${route.path}`).not.toContain(response.status);
      expect(response.status, `${route.method} ${route.path}`).toBeLessThan(500);
    }
  });

  it('a wrong token and no token stay 401 on every admin route', async () => {
    for (const route of adminRoutes()) {
      const headerSets: Array<Record<string, string>> = [{ authorization: `Bearer ${env.ADMIN_READONLY_TOKEN}x` }, {}];
      for (const headers of headerSets) {
        const response = await worker.fetch(new Request(`https://gw.example${route.path}`, { method: route.method, headers }), env as Env, createExecutionContext());
        expect(response.status, `${route.method} ${route.path}`).toBe(401);
      }
    }
  });

  it('admin writes are audited with the token id, never the token', async () => {
    const response = await worker.fetch(
      new Request(`https://gw.example/v1/admin/sites/${site.id}/plan`, { method: 'PUT', headers: { authorization: `Bearer ${env.ADMIN_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ version: 1, events: {} }) }),
      env as Env,
      createExecutionContext(),
    );
    expect(response.status).toBe(200);
    const row = await env.DB.prepare("SELECT * FROM admin_audit WHERE action = 'plan.put' ORDER BY id DESC LIMIT 1").first<{ actor: string; site_id: string; detail: string }>();
    expect(row).toMatchObject({ actor: expect.stringMatching(/^admin:[0-9a-f]{12}$/), site_id: site.id });
    expect(JSON.parse(row!.detail)).toMatchObject({ version: expect.any(Number) });
    expect(JSON.stringify(row)).not.toContain(env.ADMIN_TOKEN);
    await expect(env.DB.prepare("UPDATE admin_audit SET actor = 'x'").run()).rejects.toThrow(/append-only/);
  });
});
