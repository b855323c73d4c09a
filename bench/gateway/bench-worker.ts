// The gateway as `bench/gateway.bench.mjs` runs it in miniflare: the real worker, plus in the same
// isolate a bare Hono route (the baseline) and stage probes that repeat one ingest stage `n` times
// on a fixed 20-event batch with the real bindings (workerd freezes clocks during execution, so the
// bench measures the workerd process's CPU from outside and subtracts the bare route).
import { Hono } from 'hono';
import gateway from '../../gateway/src/index.ts';
import type { Env } from '../../gateway/src/env.ts';
import { parseBatch } from '../../gateway/src/ingest/parse-batch.ts';
import { scrubEventUrls } from '../../gateway/src/minimize/index.ts';
import { consentPlanner } from '../../gateway/src/consent/consent-planner.ts';
import { commitDeliveries, planDeliveries } from '../../gateway/src/ingest/enqueue-deliveries.ts';
import { claimEventIds } from '../../gateway/src/dedup/claim-event-ids.ts';
import { loadSiteByWriteKey } from '../../gateway/src/site-config/load-site-config.ts';
import { requestFacts } from '../../gateway/src/ingest/request-facts.ts';
import { Event } from '@sluice/protocol';
import { packedTexts } from '../../gateway/src/delivery/pack-batch-messages.ts';
import { fastEventCheck } from '../../gateway/src/ingest/fast-event-check.ts';

export { EventIdLedger } from '../../gateway/src/index.ts';

const bare = new Hono().all('*', (c) => c.body(null, 204));

type Stage = 'floor-d1' | 'floor-queue' | 'floor-ledger' | 'floor-ratelimit' | 'parse' | 'zod-events' | 'fast-events' | 'scrub' | 'consent' | 'plan' | 'serialize' | 'all' | 'request' | 'request-prep' | 'ledger' | 'd1' | 'queue';

/** An in-isolate stand-in for the site's ledger (the `request` stage): ids claimed in memory, nobody suppressed. */
function ledgerStandIn() {
  const seen = new Set<string>();
  const ledger = {
    admit: async (_site: string, events: { id: string }[], others: string[][]) => ({
      fresh: events.map((e) => (seen.has(e.id) ? false : (seen.add(e.id), true))),
      suppressed: events.map(() => false),
      othersSuppressed: others.map(() => false),
    }),
    claim: async (ids: string[]) => ids.map((id) => (seen.has(id) ? false : (seen.add(id), true))),
    release: async () => undefined,
  };
  return { idFromName: () => ({}), get: () => ledger };
}

async function probe(request: Request, env: Env): Promise<Response> {
  const url = new URL(request.url);
  const stage = url.searchParams.get('stage') as Stage;
  const n = Number(url.searchParams.get('n') ?? 10);
  const text = await request.text();
  const site = (await loadSiteByWriteKey(env.CONFIG, url.searchParams.get('key')!))!;
  // A request's facts carry its hash memo: each repetition gets fresh ones, as each request does.
  const fresh = () => requestFacts(request);
  const parsed = parseBatch(text);
  const events = scrubEventUrls(parsed.events.map((e) => e.event));
  const raw = (JSON.parse(text) as { events: unknown[] }).events;
  const planner = await consentPlanner(env, site, request);
  let sink = 0;
  const ledgerIds = ledgerStandIn();
  for (let i = 0; i < n; i++) {
    // Floors: one binding call with a minimal payload, what any design pays per call on these simulators.
    if (stage === 'floor-d1') sink += (await env.DB.batch([env.DB.prepare('SELECT 1 AS one')])).length;
    else if (stage === 'floor-queue') await env.DELIVERY.sendBatch([{ body: 'x' as never, contentType: 'text' }]);
    else if (stage === 'floor-ledger') sink += (await claimEventIds(env, site.id, [crypto.randomUUID()])).size;
    else if (stage === 'floor-ratelimit') sink += (await env.RATE_LIMIT_WRITE_KEY!.limit({ key: `floor:${i}` })).success ? 1 : 0;
    else if (stage === 'parse') sink += parseBatch(text).events.length;
    else if (stage === 'zod-events') for (const e of raw) sink += Event.safeParse(e).success ? 1 : 0;
    else if (stage === 'fast-events') for (const e of raw) sink += fastEventCheck(e) ? 1 : 0;
    else if (stage === 'scrub') sink += scrubEventUrls(parsed.events.map((e) => e.event)).length;
    else if (stage === 'consent') {
      const p = await consentPlanner(env, site, request);
      for (const e of events) for (const key of Object.keys(site.destinations)) sink += p!.verdict(e, key).decision.length;
    } else if (stage === 'plan') sink += (await planDeliveries(site, events, fresh(), planner)).messages.length;
    else if (stage === 'serialize') sink += queueBytes((await planDeliveries(site, events, fresh(), planner)).messages);
    else if (stage === 'ledger') sink += (await claimEventIds(env, site.id, events.map(() => crypto.randomUUID()))).size;
    else if (stage === 'd1' || stage === 'queue') {
      const facts = fresh();
      const planned = await planDeliveries(site, events, facts, planner);
      if (stage === 'd1') await commitDeliveries(env, { ...planned, messages: [] }, planner, facts.receivedAt);
      else await commitDeliveries(env, { ...planned, audit: [], drops: [] }, null, facts.receivedAt);
      sink += planned.messages.length;
    } else if (stage === 'request-prep') {
      // The `request` stage's own preparation alone (fresh ids, the body re-serialized, the Request
      // and stand-in env built): the bench reports `request` net of it, since it is no ingest work.
      const body = JSON.parse(text) as { events: Array<{ eventId: string }> };
      for (const e of body.events) e.eventId = crypto.randomUUID();
      const stand = { ...stubbedEnv(env, new Set(['queues', 'ratelimit', 'db'])), EVENT_IDS: ledgerIds } as unknown as Env;
      const built = new Request(`https://gw.example/v1/batch?key=${url.searchParams.get('key')}`, { method: 'POST', headers: request.headers, body: JSON.stringify(body) });
      sink += (await built.text()).length + (stand.DB ? 1 : 0);
    } else if (stage === 'request') {
      // The whole ingest request in the isolate — Hono, middleware, tracking plan, visitor cookie,
      // subject keys, consent, hashing, audit statements, answer, waitUntil hooks — with every
      // binding a no-op stand-in: the isolate's own CPU per request, storage excluded.
      const body = JSON.parse(text) as { events: Array<{ eventId: string }> };
      for (const e of body.events) e.eventId = crypto.randomUUID();
      const stand = { ...stubbedEnv(env, new Set(['queues', 'ratelimit', 'db'])), EVENT_IDS: ledgerIds } as unknown as Env;
      const pending: Promise<unknown>[] = [];
      const ctx = { waitUntil: (p: Promise<unknown>) => void pending.push(p), passThroughOnException: () => undefined, props: {} } as unknown as ExecutionContext;
      const answer = await gateway.fetch(new Request(`https://gw.example/v1/batch?key=${url.searchParams.get('key')}`, { method: 'POST', headers: request.headers, body: JSON.stringify(body) }), stand, ctx);
      await Promise.allSettled(pending);
      sink += (await answer.text()).length;
      if (answer.status !== 200) throw new Error(`request stage answered ${answer.status}`);
    } else if (stage === 'all') {
      const p = parseBatch(text);
      const clean = scrubEventUrls(p.events.map((e) => e.event));
      const planned = await planDeliveries(site, clean, fresh(), await consentPlanner(env, site, request));
      sink += queueBytes(planned.messages);
    }
  }
  return new Response(String(sink));
}

/** What `sendBatch` serializes of planned messages: the text ingest built while sizing them, else the object as JSON (queue-for.ts). */
function queueBytes(messages: Array<{ body: object }>): number {
  return messages.reduce((n, m) => n + (packedTexts.get(m.body) ?? JSON.stringify(m.body)).length, 0);
}

/**
 * The env with every binding call counted (`/__count/...` runs one real request through it): which
 * storage calls one ingest request makes, including those its `waitUntil` hooks make after the answer.
 */
function countingEnv(env: Env, calls: Record<string, number>): Env {
  const count = (name: string) => (calls[name] = (calls[name] ?? 0) + 1);
  const wrap = (name: string, target: object, methods: string[]): object =>
    new Proxy(target, {
      get(t, key, receiver) {
        const value = Reflect.get(t, key, receiver);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          if (methods.includes(String(key))) count(`${name}.${String(key)}`);
          return (value as (...a: unknown[]) => unknown).apply(t, args);
        };
      },
    });
  const out: Record<string, unknown> = { ...env };
  for (const [name, binding] of Object.entries(env)) {
    if (typeof binding !== 'object' || binding === null) continue;
    out[name] = wrap(name, binding, ['batch', 'exec', 'prepare', 'get', 'put', 'list', 'delete', 'send', 'sendBatch', 'limit', 'idFromName', 'get']);
  }
  return out as unknown as Env;
}

/** Stand-in envs built once per env object and stub set: copying the env per request showed up in the stand-in rows (~5 % of their isolate CPU). */
const stubbedEnvs = new Map<string, { env: Env; out: Env }>();

function stubbedEnv(env: Env, stubs: Set<string>): Env {
  const id = [...stubs].sort().join(',');
  const known = stubbedEnvs.get(id);
  if (known?.env === env) return known.out;
  const built = buildStubbedEnv(env, stubs);
  stubbedEnvs.set(id, { env, out: built });
  return built;
}

function buildStubbedEnv(env: Env, stubs: Set<string>): Env {
  const out: Record<string, unknown> = { ...env };
  const queue = { send: async () => undefined, sendBatch: async () => undefined };
  if (stubs.has('queues')) for (const name of Object.keys(env)) if (name.startsWith('DELIVERY')) out[name] = queue;
  // The site's event-id ledger (a Durable Object) as an in-isolate set: claims in memory, nobody suppressed.
  if (stubs.has('ledger')) out.EVENT_IDS = ledgerStandIn();
  if (stubs.has('ratelimit')) for (const name of ['RATE_LIMIT_IP', 'RATE_LIMIT_WRITE_KEY']) out[name] = { limit: async () => ({ success: true }) };
  if (stubs.has('db')) {
    const statement = { bind: () => statement, run: async () => ({ meta: { changes: 0 }, results: [] }), all: async () => ({ results: [], meta: {} }), first: async () => null, raw: async () => [] };
    out.DB = { prepare: () => statement, batch: async (s: unknown[]) => s.map(() => ({ results: [], meta: { changes: 0 } })), exec: async () => undefined };
  }
  return out as unknown as Env;
}

export default {
  async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    const path = new URL(request.url).pathname;
    if (path === '/__bare') return bare.fetch(request, env, ctx);
    if (path === '/__probe') return probe(request, env);
    if (path.startsWith('/__stub/')) {
      // Attribution: the real request with some bindings replaced by no-op stand-ins
      // (`/__stub/queues,db,ratelimit,ledger/v1/batch…`), so the bench can say what each costs.
      const [, , what, ...rest] = path.split('/');
      const stubs = new Set(what!.split(','));
      const url = new URL(request.url);
      url.pathname = `/${rest.join('/')}`;
      return gateway.fetch(new Request(url, request), stubbedEnv(env, stubs), ctx);
    }
    if (path.startsWith('/__count/')) {
      const calls: Record<string, number> = {};
      const pending: Promise<unknown>[] = [];
      const counted = { waitUntil: (p: Promise<unknown>) => void pending.push(p), passThroughOnException: () => undefined, props: {} } as unknown as ExecutionContext;
      const url = new URL(request.url);
      url.pathname = path.slice('/__count'.length);
      const response = await gateway.fetch(new Request(url, request), countingEnv(env, calls), counted);
      await Promise.allSettled(pending);
      return Response.json({ status: response.status, body: await response.json(), calls });
    }
    return gateway.fetch(request, env, ctx);
  },
  queue: gateway.queue,
} satisfies ExportedHandler<Env>;
