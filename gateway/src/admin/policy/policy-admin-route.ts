import { Hono } from 'hono';
import { parsePolicy } from '@sluice/consent';
import { ErrorCode, Event } from '@sluice/protocol';
import type { Env } from '../../env.ts';
import { ApiError } from '../../http/api-error.ts';
import { loadSite } from '../../site-config/load-site-config.ts';
import { loadLivePolicy } from '../../consent/live-policy.ts';
import { loadGvl } from '../../consent/live-gvl.ts';
import { formatPath } from '@sluice/consent';
import { noteAudit, requireAdminToken } from '../admin-token.ts';
import { validSiteId } from '../../http/valid-site-id.ts';
import { readDocument, readJson } from './read-json.ts';
import { storePolicy } from './store-policy.ts';
import { SimulateRequest, simulate } from './simulate.ts';

async function siteOrThrow(env: Env, siteId: string) {
  const site = await loadSite(env.CONFIG, siteId);
  if (!site) throw new ApiError(404, ErrorCode.NotFound, `no site "${siteId}"`);
  return site;
}

/**
 * `/v1/admin/sites/:site/policy`: PUT (validate, version, make live), GET (live), GET /history,
 * GET /versions/:n, POST /simulate. An invalid policy is rejected with zod paths and the old
 * one stays live.
 */
export const policyAdminRoute = new Hono<{ Bindings: Env }>()
  .use('*', requireAdminToken())
  .use('*', validSiteId())
  .put('/', async (c) => {
    const site = await siteOrThrow(c.env, c.req.param('site')!);
    const parsed = parsePolicy(await readDocument(c.req.raw));
    if (!parsed.ok) {
      const first = parsed.issues[0]!;
      return c.json({ error: { code: ErrorCode.InvalidPolicy, message: `${first.path}: ${first.message}` }, issues: parsed.issues }, 422);
    }
    const live = await storePolicy(c.env.CONFIG, c.env.DB, site.id, parsed.policy, Date.now());
    noteAudit(c, { action: 'policy.put', version: live.version, policyVersion: live.policyVersion });
    // Not errors: a site destination the policy does not name is simply denied.
    // Deprecated forms (still loaded with their old meaning) come first.
    const warnings = [
      ...parsed.warnings,
      ...Object.keys(site.destinations)
        .filter((key) => !parsed.policy.destinations[key])
        .map((key) => ({ path: `destinations.${key}`, message: `site destination "${key}" is not in the policy: it will receive nothing` })),
    ];
    return c.json({ version: live.version, policyVersion: live.policyVersion, warnings }, 200);
  })
  .get('/', async (c) => {
    const site = await siteOrThrow(c.env, c.req.param('site')!);
    const live = await loadLivePolicy(c.env.CONFIG, site.id);
    if (!live) throw new ApiError(404, ErrorCode.NotFound, `site "${site.id}" has no policy`);
    return c.json(live);
  })
  .get('/history', async (c) => {
    const site = await siteOrThrow(c.env, c.req.param('site')!);
    const { results } = await c.env.DB.prepare('SELECT version, policy_hash AS policyVersion, created_at AS createdAt FROM policy_versions WHERE site_id = ? ORDER BY version DESC LIMIT 100')
      .bind(site.id)
      .all();
    return c.json({ versions: results });
  })
  .get('/versions/:version{[0-9]{1,9}}', async (c) => {
    const site = await siteOrThrow(c.env, c.req.param('site')!);
    const row = await c.env.DB.prepare('SELECT version, policy_hash AS policyVersion, document, created_at AS createdAt FROM policy_versions WHERE site_id = ? AND version = ?')
      .bind(site.id, Number(c.req.param('version')))
      .first<{ version: number; policyVersion: string; document: string; createdAt: number }>();
    if (!row) throw new ApiError(404, ErrorCode.NotFound, 'no such policy version');
    return c.json({ version: row.version, policyVersion: row.policyVersion, createdAt: row.createdAt, policy: JSON.parse(row.document) });
  })
  .post('/simulate', async (c) => {
    const site = await siteOrThrow(c.env, c.req.param('site')!);
    const live = await loadLivePolicy(c.env.CONFIG, site.id);
    if (!live) throw new ApiError(404, ErrorCode.NotFound, `site "${site.id}" has no policy`);
    const request = SimulateRequest.safeParse(await readJson(c.req.raw));
    if (!request.success) throw invalid(request.error.issues);
    const event = Event.safeParse(request.data.event);
    if (!event.success) throw invalid(event.error.issues, 'event');
    return c.json(await simulate(site, live, await loadGvl(c.env.CONFIG), request.data, event.data));
  });

function invalid(issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>, prefix?: string): ApiError {
  const first = issues[0]!;
  const path = formatPath(prefix ? [prefix, ...first.path] : first.path) || '(root)';
  return new ApiError(422, ErrorCode.InvalidEvent, `${path}: ${first.message}`);
}
