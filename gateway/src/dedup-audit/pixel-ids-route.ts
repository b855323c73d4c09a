import { Hono } from 'hono';
import { ErrorCode } from '@sluice/protocol';
import type { Env } from '../env.ts';
import { ApiError } from '../http/api-error.ts';
import { siteOriginGuard, type SiteVariables } from '../http/site-origin-guard.ts';
import { readBody } from '../ingest/read-body.ts';
import { ingestRateLimit } from '../rate-limit/ingest-rate-limit.ts';
import { insertRows } from '../delivery/d1-chunks.ts';
import { MAX_PIXEL_REPORT_BYTES, PixelReport } from './pixel-report.ts';

/**
 * `POST /v1/pixel-ids`: the SDK reports the event ids it handed to browser pixels, so the gateway
 * can show per destination how many server events the browser side also sent with the same id.
 * Same write key, origin and CORS rules as `/v1/batch`; `text/plain` so `sendBeacon` needs no preflight.
 */
export const pixelIdsRoute = new Hono<{ Bindings: Env; Variables: SiteVariables }>()
  .use('*', siteOriginGuard())
  // After the guard: a limited browser still gets its CORS grant, so it can read Retry-After.
  .use('*', ingestRateLimit())
  .post('/', async (c) => {
    const site = c.get('site');
    let json: unknown;
    try {
      json = JSON.parse(await readBody(c.req.raw, MAX_PIXEL_REPORT_BYTES));
    } catch (error) {
      if (error instanceof ApiError) throw error;
      throw new ApiError(400, ErrorCode.MalformedJson, 'body is not valid JSON');
    }
    const parsed = PixelReport.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new ApiError(400, ErrorCode.InvalidBatch, `invalid pixel report at ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? ''}`);
    }
    const now = Date.now();
    const rows = parsed.data.ids.flatMap(({ eventId, vendors }) => [...new Set(vendors)].map((vendor) => [site.id, vendor, eventId, now]));
    await c.env.DB.batch(insertRows(c.env.DB, 'INSERT OR IGNORE INTO pixel_event_ids (site_id, vendor, event_id, reported_at) VALUES', rows)).catch(() => {
      throw new ApiError(503, ErrorCode.Unavailable, 'temporarily unavailable, retry later', { 'Retry-After': '5' });
    });
    return c.json({ recorded: rows.length }, 200);
  });

