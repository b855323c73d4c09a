import { Hono } from 'hono';
import { z } from 'zod';
import { ErrorCode } from '@sluice/protocol';
import type { Env } from '../env.ts';
import { ApiError } from '../http/api-error.ts';
import { requireAdminToken } from '../admin/admin-token.ts';
import { readDocument, readJson } from '../admin/policy/read-json.ts';
import { loadSite } from '../site-config/load-site-config.ts';
import { banditStub } from './bandit-stub.ts';
import { readDecisions } from './decision-log.ts';
import { evaluateCandidate, OpeRequest } from './evaluate-candidate.ts';
import { Experiment, ExperimentId } from './experiment.ts';
import { experimentReport } from './experiment-report.ts';
import { clearExperimentCache, loadExperiment } from './live-experiment.ts';
import { storeExperiment } from './store-experiment.ts';

/** Rows per NDJSON export page (`?since=` continues). */
export const EXPORT_PAGE_ROWS = 10_000;
export { OPE_MAX_ROWS } from './evaluate-candidate.ts';

function issueError(issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>, code: ErrorCode): ApiError {
  const first = issues[0]!;
  return new ApiError(422, code, `${first.path.map(String).join('.') || '(root)'}: ${first.message}`);
}

async function ids(env: Env, site: string, experiment: string) {
  if (!ExperimentId.safeParse(experiment).success) throw new ApiError(404, ErrorCode.NotFound, 'no such experiment');
  const config = await loadSite(env.CONFIG, site);
  if (!config) throw new ApiError(404, ErrorCode.NotFound, `no site "${site}"`);
  return { siteId: config.id, experimentId: experiment };
}

/** Reports read the log after the object's outbox is written out, so they include the last second. */
async function flushLog(env: Env, siteId: string, experimentId: string): Promise<void> {
  await banditStub(env, siteId, experimentId)
    .flushLog()
    .catch(() => {
      throw new ApiError(503, ErrorCode.Unavailable, 'decision log temporarily unavailable, retry later', { 'Retry-After': '5' });
    });
}

async function liveOrThrow(env: Env, siteId: string, experimentId: string) {
  clearExperimentCache();
  const live = await loadExperiment(env.CONFIG, siteId, experimentId);
  if (!live) throw new ApiError(404, ErrorCode.NotFound, `no experiment "${experimentId}"`);
  return live;
}

/**
 * `/v1/admin/sites/:site/experiments/:experiment`: PUT (validate, version, go live), GET,
 * GET /history, GET /versions/:n, POST /status (running | paused | stopped: the kill switch),
 * GET /decisions (NDJSON export), GET /report (incrementality, arms' posteriors), POST /ope.
 * Every change is a new version in D1 (`experiment_versions`) and bumps the policy version.
 */
export const experimentsAdminRoute = new Hono<{ Bindings: Env }>()
  .use('*', requireAdminToken())
  .put('/:experiment', async (c) => {
    const { siteId, experimentId } = await ids(c.env, c.req.param('site')!, c.req.param('experiment'));
    const parsed = Experiment.safeParse(await readDocument(c.req.raw));
    if (!parsed.success) throw issueError(parsed.error.issues, ErrorCode.InvalidPolicy);
    return c.json(await storeExperiment(c.env, siteId, experimentId, parsed.data, 'put', Date.now()));
  })
  .get('/:experiment', async (c) => {
    const { siteId, experimentId } = await ids(c.env, c.req.param('site')!, c.req.param('experiment'));
    return c.json(await liveOrThrow(c.env, siteId, experimentId));
  })
  .get('/:experiment/history', async (c) => {
    const { siteId, experimentId } = await ids(c.env, c.req.param('site')!, c.req.param('experiment'));
    const { results } = await c.env.DB.prepare('SELECT version, document_hash AS documentHash, change, created_at AS createdAt FROM experiment_versions WHERE site_id = ? AND experiment_id = ? ORDER BY version DESC LIMIT 100')
      .bind(siteId, experimentId)
      .all();
    return c.json({ versions: results });
  })
  .get('/:experiment/versions/:version{[0-9]{1,9}}', async (c) => {
    const { siteId, experimentId } = await ids(c.env, c.req.param('site')!, c.req.param('experiment'));
    const row = await c.env.DB.prepare('SELECT version, document, change, created_at AS createdAt FROM experiment_versions WHERE site_id = ? AND experiment_id = ? AND version = ?')
      .bind(siteId, experimentId, Number(c.req.param('version')))
      .first<{ version: number; document: string; change: string; createdAt: number }>();
    if (!row) throw new ApiError(404, ErrorCode.NotFound, 'no such experiment version');
    return c.json({ version: row.version, change: row.change, createdAt: row.createdAt, experiment: JSON.parse(row.document) });
  })
  .post('/:experiment/status', async (c) => {
    const { siteId, experimentId } = await ids(c.env, c.req.param('site')!, c.req.param('experiment'));
    const body = z.strictObject({ status: z.enum(['running', 'paused', 'stopped']) }).safeParse(await readJson(c.req.raw));
    if (!body.success) throw issueError(body.error.issues, ErrorCode.InvalidPolicy);
    const live = await liveOrThrow(c.env, siteId, experimentId);
    return c.json(await storeExperiment(c.env, siteId, experimentId, { ...live.experiment, status: body.data.status }, `status:${body.data.status}`, Date.now()));
  })
  .get('/:experiment/decisions', async (c) => {
    const { siteId, experimentId } = await ids(c.env, c.req.param('site')!, c.req.param('experiment'));
    const since = Number(c.req.query('since') ?? 0);
    const limit = Math.min(Number(c.req.query('limit') ?? EXPORT_PAGE_ROWS), EXPORT_PAGE_ROWS);
    if (!Number.isInteger(since) || since < 0 || !Number.isInteger(limit) || limit < 1) throw new ApiError(400, ErrorCode.InvalidEvent, 'since and limit must be non-negative integers');
    await flushLog(c.env, siteId, experimentId);
    const rows = await readDecisions(c.env.DB, siteId, experimentId, since, limit);
    return c.body(rows.map((r) => JSON.stringify(r) + '\n').join(''), 200, { 'Content-Type': 'application/x-ndjson' });
  })
  .get('/:experiment/report', async (c) => {
    const { siteId, experimentId } = await ids(c.env, c.req.param('site')!, c.req.param('experiment'));
    const live = await liveOrThrow(c.env, siteId, experimentId);
    await flushLog(c.env, siteId, experimentId);
    return c.json(await experimentReport(c.env, siteId, live));
  })
  .post('/:experiment/ope', async (c) => {
    const { siteId, experimentId } = await ids(c.env, c.req.param('site')!, c.req.param('experiment'));
    const request = OpeRequest.safeParse(await readJson(c.req.raw));
    if (!request.success) throw issueError(request.error.issues, ErrorCode.InvalidEvent);
    const live = await liveOrThrow(c.env, siteId, experimentId);
    await flushLog(c.env, siteId, experimentId);
    return c.json(await evaluateCandidate(c.env, siteId, live, request.data));
  });
