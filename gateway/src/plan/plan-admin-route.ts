import { Hono } from 'hono';
import { z } from 'zod';
import { stringify as toYaml } from 'yaml';
import { ErrorCode, Event } from '@sluice/protocol';
import { formatPath } from '@sluice/consent';
import type { Env } from '../env.ts';
import { ApiError } from '../http/api-error.ts';
import { validSiteId } from '../http/valid-site-id.ts';
import { loadSite } from '../site-config/load-site-config.ts';
import type { SiteConfig } from '../site-config/site-config.ts';
import { noteAudit, requireAdminToken } from '../admin/admin-token.ts';
import { readDocument, readJson } from '../admin/policy/read-json.ts';
import { minimizationRules, minimizeEvent } from '../minimize/index.ts';
import { suppressedCount } from '../rights/suppression.ts';
import { checkEvent } from './check-event.ts';
import { consentWithholding } from './consent-withholding.ts';
import { consentPlanner } from '../consent/consent-planner.ts';
import { loadLivePolicy } from '../consent/live-policy.ts';
import { defaultLivePolicy } from '../consent/default-policy.ts';
import { unknownPurposes } from './withhold-by-purpose.ts';
import { draftPlan, type Observation } from './draft-plan.ts';
import { loadLivePlan, storePlan } from './live-plan.ts';
import { parsePlan } from './parse-plan.ts';
import { listQuarantine } from './quarantine.ts';
import { replayQuarantine } from './replay-quarantine.ts';
import { violationCounts } from './violation-counts.ts';

const PAGE_MAX = 200;
const QuarantineQuery = z.object({
  limit: z.coerce.number().int().min(1).max(PAGE_MAX).default(50),
  before: z.coerce.number().int().positive().optional(),
  open: z.enum(['true', 'false']).optional(),
});
const ReplayBody = z.strictObject({
  ids: z.array(z.number().int().positive()).min(1).max(PAGE_MAX).optional(),
  limit: z.number().int().min(1).max(PAGE_MAX).default(PAGE_MAX),
});
/** The event, and where its visitor is (edge geo, `Sec-GPC`) so consent is decided as ingest would. */
const SimulateBody = z.strictObject({
  event: z.unknown(),
  visitor: z
    .strictObject({ country: z.string().regex(/^[A-Z]{2}$/).optional(), region: z.string().regex(/^[A-Z0-9]{1,3}$/).optional(), secGpc: z.boolean().optional() })
    .optional(),
});

/**
 * `/v1/admin/sites/:site/plan`: PUT (validate, version, make live; JSON or YAML), GET (live),
 * GET /history, GET /versions/:n, POST /simulate, GET /status (violations per event and rule,
 * quarantine, suppressed events), GET /quarantine, POST /quarantine/replay, GET /draft.
 */
export const planAdminRoute = new Hono<{ Bindings: Env }>()
  .use('*', requireAdminToken())
  .use('*', validSiteId())
  .put('/', async (c) => {
    const site = await siteOrThrow(c.env, c.req.param('site'));
    const parsed = parsePlan(await readDocument(c.req.raw));
    if (!parsed.ok) {
      const first = parsed.issues[0]!;
      return c.json({ error: { code: ErrorCode.InvalidPolicy, message: `${first.path}: ${first.message}` }, issues: parsed.issues }, 422);
    }
    // A purpose the site's consent policy does not define would never be granted: the property would
    // silently never flow. Refuse it with its path instead.
    const policy = (await loadLivePolicy(c.env.CONFIG, site.id)) ?? (await defaultLivePolicy(site));
    const unknown = unknownPurposes(parsed.plan, Object.keys(policy.policy.purposes));
    if (unknown.length) {
      return c.json({ error: { code: ErrorCode.InvalidPolicy, message: `${unknown[0]!.path}: ${unknown[0]!.message}` }, issues: unknown }, 422);
    }
    const live = await storePlan(c.env.CONFIG, c.env.DB, site.id, parsed.plan, Date.now());
    noteAudit(c, { action: 'plan.put', version: live.version, planHash: live.planHash });
    return c.json({ version: live.version, planHash: live.planHash });
  })
  .get('/', async (c) => {
    const site = await siteOrThrow(c.env, c.req.param('site'));
    const live = await loadLivePlan(c.env.CONFIG, site.id);
    if (!live) throw new ApiError(404, ErrorCode.NotFound, `site "${site.id}" has no tracking plan`);
    return c.json(live);
  })
  .get('/history', async (c) => {
    const site = await siteOrThrow(c.env, c.req.param('site'));
    const { results } = await c.env.DB.prepare('SELECT version, plan_hash AS planHash, created_at AS createdAt FROM plan_versions WHERE site_id = ? ORDER BY version DESC LIMIT 100').bind(site.id).all();
    return c.json({ versions: results });
  })
  .get('/versions/:version{[0-9]{1,9}}', async (c) => {
    const site = await siteOrThrow(c.env, c.req.param('site'));
    const row = await c.env.DB.prepare('SELECT version, plan_hash AS planHash, document, created_at AS createdAt FROM plan_versions WHERE site_id = ? AND version = ?')
      .bind(site.id, Number(c.req.param('version')))
      .first<{ version: number; planHash: string; document: string; createdAt: number }>();
    if (!row) throw new ApiError(404, ErrorCode.NotFound, 'no such plan version');
    return c.json({ version: row.version, planHash: row.planHash, createdAt: row.createdAt, plan: JSON.parse(row.document) });
  })
  .post('/simulate', async (c) => {
    const site = await siteOrThrow(c.env, c.req.param('site'));
    const live = await loadLivePlan(c.env.CONFIG, site.id);
    if (!live) throw new ApiError(404, ErrorCode.NotFound, `site "${site.id}" has no tracking plan`);
    const body = parse(SimulateBody, await readJson(c.req.raw));
    const event = Event.safeParse(body.event);
    if (!event.success) {
      const first = event.error.issues[0]!;
      throw new ApiError(422, ErrorCode.InvalidEvent, `${formatPath(['event', ...first.path])}: ${first.message}`);
    }
    const minimized = minimizeEvent(event.data, minimizationRules(live.plan.minimization));
    const visitor = body.visitor ?? {};
    const request = new Request('https://simulate.sluice.invalid/', {
      headers: visitor.secGpc ? { 'sec-gpc': '1' } : {},
      cf: { ...(visitor.country && { country: visitor.country }), ...(visitor.region && { regionCode: visitor.region }) },
    } as RequestInit);
    let purposes: Record<string, string> | undefined;
    const withhold = await consentWithholding(live.plan, async () => {
      const planner = await consentPlanner(c.env, site, request);
      purposes = Object.fromEntries(Object.entries(planner?.purposes(minimized) ?? {}).map(([id, o]) => [id, o.state]));
      return planner;
    });
    const { event: kept, excused, withheld } = withhold(minimized);
    const verdict = checkEvent(live.plan, kept, excused);
    return c.json({
      planVersion: live.version,
      action: verdict.action,
      planned: verdict.planned,
      violations: verdict.violations,
      // Properties dropped for every destination because the visitor did not grant all their purposes.
      withheld,
      ...(purposes && { purposes }),
      event: verdict.action === 'accept' ? verdict.event : null,
    });
  })
  .get('/status', async (c) => {
    const site = await siteOrThrow(c.env, c.req.param('site'));
    const live = await loadLivePlan(c.env.CONFIG, site.id);
    const violations = await violationCounts(c.env.DB, site.id);
    const quarantine = await c.env.DB.prepare('SELECT COUNT(*) AS total, COALESCE(SUM(replayed_at IS NULL), 0) AS open FROM quarantine WHERE site_id = ?').bind(site.id).first<{ total: number; open: number }>();
    return c.json({
      planVersion: live?.version ?? null,
      violations,
      // The same counters, only properties withheld for want of consent (rule `<path>:purposes`).
      withheldByConsent: violations.filter((v) => v.action === 'withheld'),
      quarantine: { open: quarantine?.open ?? 0, total: quarantine?.total ?? 0 },
      suppressedEvents: await suppressedCount(c.env.DB, site.id),
    });
  })
  .get('/quarantine', async (c) => {
    const site = await siteOrThrow(c.env, c.req.param('site'));
    const q = parse(QuarantineQuery, c.req.query());
    const rows = await listQuarantine(c.env.DB, site.id, { limit: q.limit, ...(q.before && { before: q.before }), ...(q.open === 'true' && { open: true }) });
    return c.json({ quarantine: rows, next: rows.length === q.limit ? rows[rows.length - 1]!.id : null });
  })
  .post('/quarantine/replay', async (c) => {
    const site = await siteOrThrow(c.env, c.req.param('site'));
    const live = await loadLivePlan(c.env.CONFIG, site.id);
    if (!live) throw new ApiError(409, ErrorCode.InvalidPolicy, `site "${site.id}" has no tracking plan to replay against`);
    const body = parse(ReplayBody, await readJson(c.req.raw));
    const result = await replayQuarantine(c.env, site, live, { limit: body.limit, ...(body.ids && { ids: body.ids }) });
    noteAudit(c, { action: 'plan.quarantine.replay', planVersion: live.version, ...result });
    return c.json(result);
  })
  .get('/draft', async (c) => {
    const site = await siteOrThrow(c.env, c.req.param('site'));
    const { results } = await c.env.DB.prepare('SELECT event_name AS event, property, observed_type AS type, count FROM plan_observations WHERE site_id = ? LIMIT 5000').bind(site.id).all<Observation>();
    const draft = draftPlan(results);
    if (c.req.query('format') === 'yaml') return c.body(toYaml(draft), 200, { 'content-type': 'application/yaml; charset=utf-8' });
    return c.json(draft);
  });

async function siteOrThrow(env: Env, siteId: string | undefined): Promise<SiteConfig> {
  const site = siteId ? await loadSite(env.CONFIG, siteId) : null;
  if (!site) throw new ApiError(404, ErrorCode.NotFound, `no site "${siteId}"`);
  return site;
}

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new ApiError(400, ErrorCode.InvalidBatch, `invalid ${issue ? formatPath(issue.path) || 'request' : 'request'}: ${issue?.message ?? ''}`);
}
