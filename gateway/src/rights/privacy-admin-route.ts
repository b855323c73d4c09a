import { Hono } from 'hono';
import { z } from 'zod';
import { ErrorCode } from '@sluice/protocol';
import type { Env } from '../env.ts';
import { ApiError } from '../http/api-error.ts';
import { actorOf, noteAudit, requireAdminToken } from '../admin/admin-token.ts';
import { readJson } from '../admin/policy/read-json.ts';
import { loadSite } from '../site-config/load-site-config.ts';
import { listAudit } from '../audit/append-audit.ts';
import { DeletionBody, loadDeletion, runDeletion } from './deletion-request.ts';
import { listRetentionRuns } from './run-retention.ts';

const Page = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before: z.coerce.number().int().positive().optional(),
  site: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/).optional(),
});

/**
 * `/v1/admin/privacy`: `POST /deletions` (forget a person), `GET /deletions/:id` (the record),
 * `GET /retention/runs` (what each retention run deleted), `GET /audit` (the admin audit log).
 */
export const privacyAdminRoute = new Hono<{ Bindings: Env }>()
  .use('*', requireAdminToken())
  .post('/deletions', async (c) => {
    const body = DeletionBody.safeParse(await readJson(c.req.raw));
    if (!body.success) throw invalid(body.error.issues);
    const { siteId, ...ids } = body.data;
    const site = await loadSite(c.env.CONFIG, siteId);
    if (!site) throw new ApiError(404, ErrorCode.NotFound, `no site "${siteId}"`);
    const result = await runDeletion(c.env, site, ids, actorOf(c).tokenId, Date.now());
    if (!result.ok) throw new ApiError(422, ErrorCode.InvalidBatch, `${result.field}: ${result.message}`);
    noteAudit(c, { action: 'deletion.create', deletionId: result.record.id, siteId: site.id, kinds: result.record.identifierKinds, status: result.record.status });
    return c.json(result.record, 201);
  })
  .get('/deletions/:id', async (c) => {
    const id = c.req.param('id');
    if (!/^[0-9a-f-]{36}$/.test(id)) throw new ApiError(400, ErrorCode.InvalidId, 'deletion ids are UUIDs');
    const record = await loadDeletion(c.env.DB, id);
    if (!record) throw new ApiError(404, ErrorCode.NotFound, 'no such deletion');
    return c.json(record);
  })
  .get('/retention/runs', async (c) => {
    const q = page(c.req.query());
    return c.json({ runs: await listRetentionRuns(c.env.DB, q.limit) });
  })
  .get('/audit', async (c) => {
    const q = page(c.req.query());
    const rows = await listAudit(c.env.DB, { limit: q.limit, ...(q.before && { before: q.before }), ...(q.site && { siteId: q.site }) });
    return c.json({ entries: rows, next: rows.length === q.limit ? rows[rows.length - 1]!.id : null });
  });

function page(query: Record<string, string>) {
  const parsed = Page.safeParse(query);
  if (!parsed.success) throw invalid(parsed.error.issues);
  return parsed.data;
}

function invalid(issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>): ApiError {
  const first = issues[0]!;
  return new ApiError(422, ErrorCode.InvalidBatch, `${first.path.join('.') || '(root)'}: ${first.message}`);
}
