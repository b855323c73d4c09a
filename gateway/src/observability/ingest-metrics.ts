import type { MiddlewareHandler } from 'hono';
import type { Env } from '../env.ts';
import { loadSiteByWriteKey } from '../site-config/load-site-config.ts';
import { addToCounters, type CounterIncrement } from './metric-counters.ts';
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

/**
 * Counts what `POST /v1/batch` answered into D1 counters after the response is sent
 * (`waitUntil`): counting never delays or fails ingest. Labels are the site id and error codes only.
 */
export function countIngest(): MiddlewareHandler<{ Bindings: Env }> {
  return async function ingestCounter(c, next) {
    await next();
    if (c.req.method !== 'POST') return;
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
