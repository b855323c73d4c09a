import { Hono } from 'hono';
import { ErrorCode } from '@sluice/protocol';
import { formatRational } from '@sluice/privacy';
import type { Env } from '../env.ts';
import { ApiError } from '../http/api-error.ts';
import { loadSite } from '../site-config/load-site-config.ts';
import { requireReportToken, type ReportVariables } from './report-auth.ts';
import { clearReportConfigCache, loadReportConfig, ReportConfig, reportConfigKey } from './report-config.ts';
import { parseReportQuery, queryHash } from './report-query.ts';
import { plannedKeySets, QueryTooLarge, runReport } from './run-report.ts';
import { budgetLedger } from './budget-ledger.ts';
import { calibrateNoise } from './calibrate-noise.ts';
import { listReleases, loadRelease, storeRelease } from './release-store.ts';
import { appendAudit } from '../audit/append-audit.ts';
import { exportRows, toCsv, toNdjson } from './export-releases.ts';

/** Query bodies are small; anything larger is refused before parsing. */
const MAX_BODY_BYTES = 16 * 1024;
/** Releases per export page. */
const EXPORT_LIMIT = 500;

type App = { Bindings: Env; Variables: ReportVariables };

/**
 * `/v1/reports/:site`: the only way aggregates leave Sluice. Every number is a DP release
 * charged to the site's ledger; errors never carry a count, and a query's status depends only
 * on the query, the config and the budget, never on the data.
 */
export const reportRoute = new Hono<App>()
  .put('/config', requireReportToken({ adminOnly: true }), async (c) => {
    const site = await loadSite(c.env.CONFIG, c.req.param('site')!);
    if (!site) throw new ApiError(404, ErrorCode.NotFound, 'no such site');
    const parsed = ReportConfig.safeParse(await readJson(c.req.raw));
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new ApiError(422, ErrorCode.InvalidQuery, `${issue.path.join('.') || 'body'}: ${issue.message}`);
    }
    await c.env.CONFIG.put(reportConfigKey(site.id), JSON.stringify(parsed.data));
    clearReportConfigCache();
    await appendAudit(c.env.DB, { siteId: site.id, actor: c.get('callerTokenId'), action: 'report.config.put', target: c.req.path, detail: { version: parsed.data.version }, at: Date.now() }).catch(unavailable);
    return c.json(parsed.data, 200);
  })
  .use('*', requireReportToken())
  .get('/config', async (c) => c.json(await configOrThrow(c.env, c.req.param('site')!), 200))
  .post('/query', async (c) => {
    const siteId = c.req.param('site')!;
    const config = await configOrThrow(c.env, siteId);
    const now = Date.now();
    const parsed = parseReportQuery(await readJson(c.req.raw), config, now);
    if (!parsed.ok) throw new ApiError(422, ErrorCode.InvalidQuery, parsed.message);
    const query = parsed.query;
    let discovered: boolean;
    try {
      discovered = plannedKeySets(query, config).some((keys) => keys === null);
    } catch (error) {
      if (error instanceof QueryTooLarge) throw new ApiError(422, ErrorCode.InvalidQuery, 'dimensions: too many public cells; choose fewer dimensions or a shorter range');
      throw error;
    }
    const hash = await queryHash(siteId, query);
    const caller = c.get('caller');
    const epsilon = formatRational(query.epsilon);
    const ledger = budgetLedger(c.env, siteId);
    const debit = await ledger
      .debit({
        queryHash: hash, idempotencyKey: query.idempotencyKey, epsilon, days: query.days, capPerDay: config.budget.epsilonPerDay,
        delta: formatRational(calibrateNoise(query, config, discovered).delta), deltaCapPerDay: config.budget.deltaPerDay, caller, now,
      })
      .catch(unavailable);
    switch (debit.kind) {
      case 'stored': {
        const stored = await loadRelease(c.env.DB, siteId, debit.releaseId).catch(unavailable);
        if (!stored) unavailable();
        return c.json({ releaseId: stored.releaseId, releasedAt: stored.releasedAt, stored: true, ...stored.release }, 200);
      }
      case 'pending':
        throw new ApiError(409, ErrorCode.ReportInProgress, 'this query is being released; retry to get the stored answer', { 'Retry-After': '2' });
      case 'conflict':
        throw new ApiError(422, ErrorCode.IdempotencyConflict, 'idempotencyKey: already used for a different query');
      case 'refused':
        throw new ApiError(403, ErrorCode.BudgetExhausted, 'privacy budget exhausted for a day in this range; nothing was released or charged');
      case 'debited': {
        // From here the ε is spent for good: an error after noise is drawn must still count.
        const release = await runReport(c.env, siteId, config, query).catch(unavailable);
        const releaseId = crypto.randomUUID();
        await storeRelease(c.env.DB, { id: releaseId, siteId, queryHash: hash, epsilon, caller, actor: c.get('callerTokenId'), days: query.days, at: now, release }).catch(unavailable);
        await ledger.complete(debit.debitId, releaseId).catch(unavailable);
        return c.json({ releaseId, releasedAt: new Date(now).toISOString(), stored: false, ...release }, 200);
      }
    }
  })
  .get('/releases/:id', async (c) => {
    await configOrThrow(c.env, c.req.param('site')!);
    const stored = await loadRelease(c.env.DB, c.req.param('site')!, c.req.param('id')).catch(unavailable);
    if (!stored) throw new ApiError(404, ErrorCode.NotFound, 'no such release');
    return c.json(stored, 200);
  })
  .get('/export', async (c) => {
    const format = c.req.query('format') ?? 'ndjson';
    if (format !== 'csv' && format !== 'ndjson') throw new ApiError(422, ErrorCode.InvalidQuery, 'format: csv or ndjson');
    const since = c.req.query('since') ? Date.parse(c.req.query('since')!) : 0;
    if (Number.isNaN(since)) throw new ApiError(422, ErrorCode.InvalidQuery, 'since: an ISO 8601 time');
    await configOrThrow(c.env, c.req.param('site')!);
    const releases = await listReleases(c.env.DB, c.req.param('site')!, since, EXPORT_LIMIT).catch(unavailable);
    const rows = exportRows(releases);
    return format === 'csv'
      ? c.body(toCsv(rows), 200, { 'content-type': 'text/csv; charset=utf-8' })
      : c.body(toNdjson(rows), 200, { 'content-type': 'application/x-ndjson' });
  })
  .get('/ledger', async (c) => {
    const siteId = c.req.param('site')!;
    const config = await configOrThrow(c.env, siteId);
    const audit = await budgetLedger(c.env, siteId).audit(1000).catch(unavailable);
    return c.json({ capPerDay: config.budget.epsilonPerDay, deltaCapPerDay: config.budget.deltaPerDay, ...audit }, 200);
  });

async function configOrThrow(env: Env, siteId: string): Promise<ReportConfig> {
  const [site, config] = await Promise.all([loadSite(env.CONFIG, siteId), loadReportConfig(env.CONFIG, siteId)]);
  if (!site || !config) throw new ApiError(404, ErrorCode.NotFound, 'no reports configured for this site');
  return config;
}

async function readJson(request: Request): Promise<unknown> {
  const text = await request.text();
  if (new TextEncoder().encode(text).length > MAX_BODY_BYTES) throw new ApiError(413, ErrorCode.PayloadTooLarge, 'body too large');
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError(400, ErrorCode.MalformedJson, 'body is not JSON');
  }
}

/** Our own storage failing: 503, never 500, never a number. */
function unavailable(): never {
  throw new ApiError(503, ErrorCode.Unavailable, 'temporarily unavailable, retry later', { 'Retry-After': '5' });
}
