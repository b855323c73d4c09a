import { Hono } from 'hono';
import { ErrorCode } from '@sluice/protocol';
import type { Env } from './env.ts';
import { ApiError, internalError } from './http/api-error.ts';
import { batchRoute } from './ingest/batch-route.ts';
import { assetsRoute } from './assets/assets-route.ts';
import { configRoute } from './consent/config-route.ts';
import { policyAdminRoute } from './admin/policy/policy-admin-route.ts';
import { gvlAdminRoute } from './admin/policy/gvl-admin-route.ts';
import { deliveryAdminRoute } from './admin/delivery-admin-route.ts';
import { pixelIdsRoute } from './dedup-audit/pixel-ids-route.ts';
import { warehouseAdminRoute } from './destinations/warehouse/warehouse-admin-route.ts';
import { segmentRoute } from './sources/segment/index.ts';
import { StorageUnavailable, unavailableResponse } from './ingest/storage-unavailable.ts';

/** The gateway's HTTP surface. Every error leaves as `{ error: { code, message } }`. */
export const app = new Hono<{ Bindings: Env }>()
  .get('/healthz', (c) => c.json({ ok: true }))
  .route('/v1/batch', batchRoute)
  .route('/segment/v1', segmentRoute)
  .route('/v1/config', configRoute)
  .route('/v1/admin/sites/:site/policy', policyAdminRoute)
  .route('/v1/admin/gvl', gvlAdminRoute)
  .route('/v1/pixel-ids', pixelIdsRoute)
  .route('/v1/admin/sites/:site/warehouse', warehouseAdminRoute)
  .route('/v1/admin/sites/:site', deliveryAdminRoute)
  .route('/', assetsRoute);

app.notFound((c) => c.json({ error: { code: ErrorCode.NotFound, message: `no route for ${c.req.method} ${c.req.path}` } }, 404));

app.onError((error, c) => {
  const storageDown = error instanceof StorageUnavailable;
  const apiError = error instanceof ApiError ? error : storageDown ? unavailableResponse(error, c.req.path) : internalError();
  if (!(error instanceof ApiError) && !storageDown) {
    // Name and code location only: messages can quote input (V8's JSON.parse errors do), and input may be personal data.
    console.error(`unhandled ${error.name} at ${error.stack?.split('\n')[1]?.trim() ?? 'unknown'}`);
  }
  for (const [name, value] of Object.entries(apiError.headers)) c.header(name, value);
  return c.json(apiError.toBody(), apiError.status);
});
