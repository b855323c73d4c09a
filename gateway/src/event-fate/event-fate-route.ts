import { Hono } from 'hono';
import { ErrorCode } from '@sluice/protocol';
import type { Env } from '../env.ts';
import { ApiError } from '../http/api-error.ts';
import { siteOriginGuard, type SiteVariables } from '../http/site-origin-guard.ts';
import { eventFates } from './event-fate.ts';

/** Ids per request: a page asks about the events of its own visit. */
export const MAX_FATE_IDS = 50;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/**
 * `GET /v1/event-fate?key=<write key>&ids=<id>,<id>`: "where did my event go" for the visitor's
 * own events. Scoped by capability: only random (UUID) event ids of the last 24 h, which only the
 * page that made them knows; the site's origin rules apply as on `/v1/batch`. Answers decisions,
 * receipts and delivery outcomes — never a payload or personal data.
 */
export const eventFateRoute = new Hono<{ Bindings: Env; Variables: SiteVariables }>()
  .use('*', siteOriginGuard({ allowMissingOrigin: true }))
  .get('/', async (c) => {
    const site = c.get('site');
    const ids = [...new Set((c.req.query('ids') ?? '').split(',').filter(Boolean))];
    if (ids.length === 0 || ids.length > MAX_FATE_IDS) throw new ApiError(400, ErrorCode.InvalidBatch, `ids: 1 to ${MAX_FATE_IDS} event ids, comma-separated`);
    const bad = ids.find((id) => !UUID.test(id));
    if (bad !== undefined) throw new ApiError(400, ErrorCode.InvalidBatch, 'ids: only the random (UUID) event ids the SDK makes');
    const events = await eventFates(c.env.DB, site.id, Object.keys(site.destinations), ids).catch(() => {
      throw new ApiError(503, ErrorCode.Unavailable, 'temporarily unavailable, retry later', { 'Retry-After': '5' });
    });
    return c.json({ events }, 200, { 'cache-control': 'no-store' });
  });
