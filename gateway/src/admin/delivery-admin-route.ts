import { Hono } from 'hono';
import { z } from 'zod';
import { ErrorCode } from '@sluice/protocol';
import type { Env } from '../env.ts';
import { ApiError } from '../http/api-error.ts';
import { loadSite } from '../site-config/load-site-config.ts';
import type { SiteConfig } from '../site-config/site-config.ts';
import { DEDUP_REPORT_DEFAULT_DAYS, dedupReport } from '../dedup-audit/dedup-report.ts';
import { requireAdminToken } from './admin-token.ts';
import { validSiteId } from '../http/valid-site-id.ts';
import { readJson } from './policy/read-json.ts';
import { clientDropsSince } from '../ingest/client-drops.ts';
import { DEAD_LETTER_PAGE_DEFAULT, DEAD_LETTER_PAGE_MAX, listDeadLetters } from './dead-letter-rows.ts';
import { destinationStatus } from './destination-status.ts';
import { replayDeadLetters } from './replay-dead-letters.ts';

const DAY_MS = 86_400_000;

const ListQuery = z.object({
  destination: z.string().regex(/^[a-z0-9_-]{1,32}$/).optional(),
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(DEAD_LETTER_PAGE_MAX).default(DEAD_LETTER_PAGE_DEFAULT),
  open: z.enum(['true', 'false']).optional(),
});

const ReplayBody = z.strictObject({
  /** Dead-letter ids to replay; without them, every open letter (of `destination`, when given) up to `limit`. */
  ids: z.array(z.number().int().positive()).min(1).max(DEAD_LETTER_PAGE_MAX).optional(),
  destination: z.string().regex(/^[a-z0-9_-]{1,32}$/).optional(),
  limit: z.number().int().min(1).max(DEAD_LETTER_PAGE_MAX).default(DEAD_LETTER_PAGE_MAX),
});

const AuditQuery = z.object({ days: z.coerce.number().int().min(1).max(90).default(DEDUP_REPORT_DEFAULT_DAYS) });

/**
 * Delivery admin API under `/v1/admin/sites/:site`: dead letters (list, replay), per-destination
 * status, dedup audit. Bearer `ADMIN_TOKEN`, compared in constant time.
 */
const adminToken = requireAdminToken();
const siteId = validSiteId();

// The token check covers these routes only: other admin routes may share the `/v1/admin/sites/:site` prefix.
export const deliveryAdminRoute = new Hono<{ Bindings: Env }>()
  .use('/dead-letters', adminToken)
  .use('/dead-letters/*', adminToken)
  .use('/destinations/*', adminToken)
  .use('/dedup-audit', adminToken)
  .use('/dead-letters', siteId)
  .use('/dead-letters/*', siteId)
  .use('/destinations/*', siteId)
  .use('/dedup-audit', siteId)
  .get('/dead-letters', async (c) => {
    const site = await siteOf(c.env, c.req.param('site'));
    const q = parse(ListQuery, c.req.query());
    const letters = await listDeadLetters(c.env, {
      siteId: site.id,
      limit: q.limit,
      ...(q.destination && { destination: q.destination }),
      ...(q.before && { before: q.before }),
      ...(q.open === 'true' && { open: true }),
    });
    const next = letters.length === q.limit ? letters[letters.length - 1]!.id : null;
    return c.json({ deadLetters: letters, next });
  })
  .post('/dead-letters/replay', async (c) => {
    const site = await siteOf(c.env, c.req.param('site'));
    // An unreadable body is a 400, never "replay everything": `{}` is how to ask for all open letters.
    const body = parse(ReplayBody, await readJson(c.req.raw));
    const result = await replayDeadLetters(c.env, site, {
      limit: body.limit,
      ...(body.ids && { ids: body.ids }),
      ...(body.destination && { destination: body.destination }),
    });
    return c.json(result);
  })
  .get('/destinations/status', async (c) => {
    const site = await siteOf(c.env, c.req.param('site'));
    // Drops inside browsers never reach a destination, so they are reported per site, all time.
    return c.json({ destinations: await destinationStatus(c.env, site), clientQueueDrops: await clientDropsSince(c.env.DB, site.id, 0) });
  })
  .get('/dedup-audit', async (c) => {
    const site = await siteOf(c.env, c.req.param('site'));
    const { days } = parse(AuditQuery, c.req.query());
    return c.json({ days, destinations: await dedupReport(c.env, site, Date.now() - days * DAY_MS) });
  });

async function siteOf(env: Env, siteId: string | undefined): Promise<SiteConfig> {
  const site = siteId ? await loadSite(env.CONFIG, siteId) : null;
  if (!site) throw new ApiError(404, ErrorCode.NotFound, 'unknown site');
  return site;
}

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new ApiError(400, ErrorCode.InvalidBatch, `invalid ${issue?.path.join('.') || 'request'}: ${issue?.message ?? ''}`);
}
