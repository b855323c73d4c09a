import { Hono } from 'hono';
import type { Env } from '../env.ts';

/** State of one binding: reachable, absent from the config, or failing when probed. */
export type BindingState = 'ok' | 'missing' | 'error';

const PROBE_TIMEOUT_MS = 2_000;

async function probe(present: boolean, check: () => Promise<unknown>): Promise<BindingState> {
  if (!present) return 'missing';
  try {
    await Promise.race([check(), new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), PROBE_TIMEOUT_MS))]);
    return 'ok';
  } catch {
    return 'error';
  }
}

/**
 * The state of each binding: KV and D1 are read, the Durable Object namespace and the assets
 * binding are asked for an id / the SDK manifest, queues are checked for presence (a producer
 * binding has no read API). 200 when every probed binding is ok, 503 otherwise.
 */
export async function bindingStates(env: Env): Promise<Record<string, BindingState>> {
  const queues = ['DELIVERY', 'DELIVERY_META', 'DELIVERY_GA4', 'DELIVERY_GOOGLE_ADS', 'DELIVERY_TIKTOK', 'DEAD_LETTERS'] as const;
  const [config, db, eventIds, assets] = await Promise.all([
    probe(!!env.CONFIG, () => env.CONFIG.get('healthz:probe')),
    probe(!!env.DB, () => env.DB.prepare('SELECT 1').first()),
    probe(!!env.EVENT_IDS, async () => env.EVENT_IDS.idFromName('healthz')),
    probe(!!env.ASSETS, async () => {
      const response = await env.ASSETS.fetch('https://assets.local/sdk/manifest.json');
      await response.body?.cancel();
      if (response.status >= 500) throw new Error('assets');
    }),
  ]);
  const out: Record<string, BindingState> = { CONFIG: config, DB: db, EVENT_IDS: eventIds, ASSETS: assets };
  for (const name of queues) out[name] = env[name] && typeof (env[name] as Queue).send === 'function' ? 'ok' : 'missing';
  return out;
}

/** `GET /healthz`: `{ ok, bindings: { CONFIG: "ok", DB: "ok", … } }`. Public: states only, no data. */
export const healthRoute = new Hono<{ Bindings: Env }>().get('/', async (c) => {
  const bindings = await bindingStates(c.env);
  const ok = Object.values(bindings).every((s) => s === 'ok');
  return c.json({ ok, bindings }, ok ? 200 : 503, { 'cache-control': 'no-store' });
});
