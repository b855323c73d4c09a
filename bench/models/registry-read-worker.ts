// Bench worker for bench/model-registry.bench.mjs: the assignment's state read three ways, in one isolate.
//  /kv   — the previous round's read: the rollout state and manifests from KV (eventually consistent).
//  /d1   — what the gateway does now: loadAssignmentState, one D1 statement (strongly consistent).
//  /do   — the alternative: one Durable Object per model holding the same state in its SQLite storage.
//  /bare — a bare 200 (the baseline).
import { DurableObject } from 'cloudflare:workers';
import { loadAssignmentState } from '../../gateway/src/models/model-store.ts';

interface BenchEnv { DB: D1Database; CONFIG: KVNamespace; REGISTRY: DurableObjectNamespace<ModelRegistryObject> }

/** The alternative store: the state and the manifests of the versions it serves, in the object's SQLite. */
export class ModelRegistryObject extends DurableObject {
  constructor(ctx: DurableObjectState, env: unknown) {
    super(ctx, env);
    ctx.storage.sql.exec('CREATE TABLE IF NOT EXISTS assignment (id INTEGER PRIMARY KEY CHECK (id = 1), state TEXT NOT NULL, manifests TEXT NOT NULL)');
  }
  put(state: string, manifests: string): void {
    this.ctx.storage.sql.exec('INSERT OR REPLACE INTO assignment (id, state, manifests) VALUES (1, ?, ?)', state, manifests);
  }
  read(): { state: string; manifests: string } | null {
    const rows = this.ctx.storage.sql.exec<{ state: string; manifests: string }>('SELECT state, manifests FROM assignment WHERE id = 1').toArray();
    return rows[0] ?? null;
  }
}

export default {
  async fetch(request: Request, env: BenchEnv): Promise<Response> {
    const path = new URL(request.url).pathname;
    if (path === '/bare') return Response.json({ ok: true });
    if (path === '/kv') {
      const state = await env.CONFIG.get<{ live: string }>('model-state:bench:obd-click-lr', 'json');
      const manifest = await env.CONFIG.get(`model-manifest:bench:obd-click-lr:${state!.live}`, 'json');
      return Response.json({ state, manifest });
    }
    if (path === '/d1') {
      const loaded = await loadAssignmentState(env.DB, 'bench', 'obd-click-lr');
      return Response.json({ state: loaded!.state, manifest: loaded!.manifests.get(loaded!.state.live!) });
    }
    if (path === '/d1-ping') return Response.json(await env.DB.prepare('SELECT 1 AS one').first());
    if (path === '/d1-meta') {
      // rows read by the statement, as D1 bills them
      const { meta } = await env.DB.prepare(`WITH s AS (SELECT state FROM model_changes WHERE site_id = ?1 AND model = ?2 ORDER BY revision DESC LIMIT 1) SELECT s.state, v.manifest FROM s
        LEFT JOIN model_versions v ON v.site_id = ?1 AND v.model = ?2 AND v.version IN (json_extract(s.state, '$.live'), json_extract(s.state, '$.canary.version'), json_extract(s.state, '$.shadow'))`).bind('bench', 'obd-click-lr').all();
      return Response.json(meta);
    }
    const stub = env.REGISTRY.get(env.REGISTRY.idFromName('bench:obd-click-lr'));
    if (path === '/do-put') {
      const { state, manifests } = (await request.json()) as { state: string; manifests: string };
      await stub.put(state, manifests);
      return Response.json({ ok: true });
    }
    if (path === '/do') {
      const row = await stub.read();
      const state = JSON.parse(row!.state) as { live: string };
      return Response.json({ state, manifest: (JSON.parse(row!.manifests) as Record<string, unknown>)[state.live] });
    }
    return new Response('not found', { status: 404 });
  },
};
