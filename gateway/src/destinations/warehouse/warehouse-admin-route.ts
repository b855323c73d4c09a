import { Hono } from 'hono';
import { ErrorCode } from '@sluice/protocol';
import type { Env } from '../../env.ts';
import { requireAdminToken } from '../../admin/admin-token.ts';
import { ApiError } from '../../http/api-error.ts';
import { validSiteId } from '../../http/valid-site-id.ts';
import { loadSite } from '../../site-config/load-site-config.ts';
import type { WarehouseDestinationConfig } from '../../site-config/site-config.ts';
import { maintainSite } from './maintain-warehouses.ts';
import { MANIFEST_NAME, type PartitionManifest } from './warehouse-manifest.ts';
import { warehouseTarget, warehouseWriterFor } from './warehouse-target.ts';

/** Manifests listed per request: one R2 list page. */
const MANIFESTS_PAGE_MAX = 1000;

async function warehouseOf(env: Env, siteId: string, key: string) {
  const site = await loadSite(env.CONFIG, siteId);
  const config = site?.destinations[key];
  if (!site || config?.type !== 'warehouse') throw new ApiError(404, ErrorCode.NotFound, `site ${siteId} has no warehouse destination ${key}`);
  return { site, config: config as WarehouseDestinationConfig, target: warehouseTarget(site.id, config as WarehouseDestinationConfig) };
}

/**
 * Admin API of a warehouse destination under `/v1/admin/sites/:site/warehouse/:key` (Bearer
 * `ADMIN_TOKEN`): the partition manifests, one landed file (for readers without R2 credentials,
 * and tests), land buffered rows now, run compaction and retention now.
 */
export const warehouseAdminRoute = new Hono<{ Bindings: Env }>()
  .use('*', requireAdminToken(), validSiteId())
  .get('/:key/manifests', async (c) => {
    const { target } = await warehouseOf(c.env, c.req.param('site')!, c.req.param('key'));
    const date = c.req.query('date');
    if (date !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new ApiError(400, ErrorCode.InvalidId, 'date must be YYYY-MM-DD');
    const sitePrefix = `${target.prefix}/site=${target.siteId}/${date ? `date=${date}/` : ''}`;
    const manifests: PartitionManifest[] = [];
    let cursor: string | undefined;
    do {
      const page = await c.env.WAREHOUSE.list({ prefix: sitePrefix, cursor, limit: MANIFESTS_PAGE_MAX });
      for (const object of page.objects.filter((o) => o.key.endsWith(`/${MANIFEST_NAME}`))) {
        const body = await c.env.WAREHOUSE.get(object.key);
        if (body) manifests.push(await body.json<PartitionManifest>());
      }
      cursor = page.truncated ? page.cursor : undefined;
    } while (cursor);
    return c.json({ prefix: target.prefix, manifests });
  })
  .get('/:key/objects/*', async (c) => {
    const { target } = await warehouseOf(c.env, c.req.param('site')!, c.req.param('key'));
    // The key exactly as the manifest lists it: partition values are already percent-encoded, so the raw path is the key.
    const objectKey = new URL(c.req.url).pathname.split('/objects/')[1] ?? '';
    if (!objectKey.startsWith(`${target.prefix}/site=${target.siteId}/`) || objectKey.includes('..')) {
      throw new ApiError(404, ErrorCode.NotFound, 'no such object for this destination');
    }
    const object = await c.env.WAREHOUSE.get(objectKey);
    if (!object) throw new ApiError(404, ErrorCode.NotFound, 'no such object for this destination');
    return new Response(object.body, {
      headers: { 'content-type': objectKey.endsWith('.json') ? 'application/json' : 'application/vnd.apache.parquet', 'content-length': String(object.size) },
    });
  })
  .post('/:key/flush', async (c) => {
    const { site } = await warehouseOf(c.env, c.req.param('site')!, c.req.param('key'));
    const files = await warehouseWriterFor(c.env.WAREHOUSE_WRITER, site.id, c.req.param('key')).flushAll();
    return c.json({ files });
  })
  .post('/maintain', async (c) => {
    const site = await loadSite(c.env.CONFIG, c.req.param('site')!);
    if (!site) throw new ApiError(404, ErrorCode.NotFound, 'unknown site');
    return c.json({ destinations: await maintainSite(c.env, site) });
  });
