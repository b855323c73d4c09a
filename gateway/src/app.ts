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
import { reportRoute } from './reports/report-route.ts';
import { decideRoute } from './decide/decide-route.ts';
import { rewardRoute } from './decide/reward-route.ts';
import { experimentsAdminRoute } from './decide/experiments-admin-route.ts';
import { privacyAdminRoute } from './rights/privacy-admin-route.ts';
import { planAdminRoute } from './plan/plan-admin-route.ts';
import { warehouseAdminRoute } from './destinations/warehouse/warehouse-admin-route.ts';
import { segmentRoute } from './sources/segment/index.ts';
import { StorageUnavailable, unavailableResponse } from './ingest/storage-unavailable.ts';
import { countIngest, healthRoute, metricsRoute, observeRequests } from './observability/index.ts';
import { consoleRoute } from './console/index.ts';
import { eventFateRoute } from './event-fate/index.ts';
import { modelsRoute } from './models/models-route.ts';
import { modelsAdminRoute } from './models/models-admin-route.ts';

/** The gateway's HTTP surface. Every error leaves as `{ error: { code, message } }`. */
export const app = new Hono<{ Bindings: Env }>()
  .use('*', observeRequests())
  .route('/healthz', healthRoute)
  .route('/metrics', metricsRoute)
  .route('/console', consoleRoute)
  .route('/v1/event-fate', eventFateRoute)
  .use('/v1/batch', countIngest())
  .route('/v1/batch', batchRoute)
  .route('/segment/v1', segmentRoute)
  .route('/v1/config', configRoute)
  .route('/v1/admin/sites/:site/policy', policyAdminRoute)
  .route('/v1/admin/gvl', gvlAdminRoute)
  .route('/v1/admin/sites/:site/models', modelsAdminRoute)
  .route('/v1/models', modelsRoute)
  .route('/v1/pixel-ids', pixelIdsRoute)
  .route('/v1/decide', decideRoute)
  .route('/v1/reward', rewardRoute)
  .route('/v1/admin/sites/:site/experiments', experimentsAdminRoute)
  .route('/v1/admin/sites/:site/warehouse', warehouseAdminRoute)
  .route('/v1/admin/sites/:site', deliveryAdminRoute)
  .route('/v1/reports/:site', reportRoute)
  .route('/v1/admin/sites/:site/plan', planAdminRoute)
  .route('/v1/admin/privacy', privacyAdminRoute)
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
