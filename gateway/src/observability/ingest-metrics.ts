import type { MiddlewareHandler } from 'hono';
import type { Env } from '../env.ts';
import { loadSiteByWriteKey } from '../site-config/load-site-config.ts';
import { addToCounters, counterStatements, type CounterIncrement } from './metric-counters.ts';
import { logJson } from './log-json.ts';

interface BatchAnswer {
  accepted?: number;
  duplicates?: number;
  rejected?: Array<{ code?: string }>;
  error?: { code?: string };
}

/** The counter increments one `/v1/batch` answer stands for (pure: status + body → increments). */
export function ingestIncrements(site: string, status: number, body: BatchAnswer): CounterIncrement[] {
  const out: CounterIncrement[] = [];
  if (typeof body.accepted === 'number') out.push({ name: 'sluice_events_total', labels: { site, outcome: 'accepted', code: '' }, by: body.accepted });
  if (typeof body.duplicates === 'number') out.push({ name: 'sluice_events_total', labels: { site, outcome: 'duplicate', code: '' }, by: body.duplicates });
  for (const r of body.rejected ?? []) out.push({ name: 'sluice_events_total', labels: { site, outcome: 'rejected', code: r.code ?? 'unknown' }, by: 1 });
  if (body.accepted === undefined && body.error) {
    out.push({ name: 'sluice_batches_rejected_total', labels: { site, status: String(status), code: body.error.code ?? 'unknown' }, by: 1 });
  }
  return out;
}

/** Requests `countIngest` is counting; `counted` once ingest stored the counters in its own D1 batch. */
const counting = new WeakMap<Request, { counted: boolean }>();

/**
 * The counter upserts for an ingest answer, for ingest's one D1 batch (issue 14: O(1) storage per
 * batch), when the request runs under `countIngest` (none otherwise). Call `counted()` once the
 * batch is stored, so the middleware does not count the answer again; if it never is (a 503), the
 * middleware counts the answer it sees.
 * @example const metrics = ingestCounterStatements(c.req.raw, env.DB, site.id, 200, result, now); …; metrics.counted()
 */
export function ingestCounterStatements(request: Request, db: D1Database, site: string, status: number, body: BatchAnswer, now: number): { statements: D1PreparedStatement[]; counted(): void } {
  const slot = counting.get(request);
  if (!slot) return { statements: [], counted: () => undefined };
  return { statements: counterStatements(db, ingestIncrements(site, status, body), now), counted: () => void (slot.counted = true) };
}

/**
 * Counts what `POST /v1/batch` answered into D1 counters. An answer ingest reached counts in
 * ingest's own D1 batch (`ingestCounterStatements`); any other (bad key, bad body, 503) is counted
 * here after the response is sent (`waitUntil`): counting never delays or fails ingest. Labels are
 * the site id and error codes only.
 */
export function countIngest(): MiddlewareHandler<{ Bindings: Env }> {
  return async function ingestCounter(c, next) {
    const slot = { counted: false };
    counting.set(c.req.raw, slot);
    await next();
    if (c.req.method !== 'POST' || slot.counted) return;
    const response = c.res.clone();
    const key = c.req.query('key');
    const work = (async () => {
      try {
        const body = (await response.json()) as BatchAnswer;
        const site = key && /^[\w-]{1,128}$/.test(key) ? ((await loadSiteByWriteKey(c.env.CONFIG, key).catch(() => null))?.id ?? 'unknown') : 'unknown';
        await addToCounters(c.env.DB, ingestIncrements(site, response.status, body));
      } catch (error) {
        logJson('warn', 'ingest metrics not recorded', { error: (error as Error).name });
      }
    })();
    try {
      c.executionCtx.waitUntil(work);
    } catch {
      await work;
    }
  };
}
