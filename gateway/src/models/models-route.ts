import { Hono } from 'hono';
import { ErrorCode } from '@sluice/protocol';
import type { Env } from '../env.ts';
import { ApiError } from '../http/api-error.ts';
import { siteOriginGuard, type SiteVariables } from '../http/site-origin-guard.ts';
import { readVisitorCookie } from '../visitor-cookie/visitor-cookie.ts';
import { MODEL_NAME, MODEL_VERSION } from './model-manifest-schema.ts';
import { chooseVersion, visitorBucket } from './choose-version.ts';
import { loadAssignmentState, loadManifest, loadModelFile } from './model-store.ts';

/**
 * An assignment is revalidated on every use (`no-cache` + `ETag` → 304): a kill switch or rollback
 * reaches the very next page load. The state is read from D1 (strongly consistent), not KV.
 */
export const ASSIGNMENT_CACHE_CONTROL = 'private, no-cache';
/** Model files never change under a version: cache for a year (RFC 8246 `immutable`). */
export const FILE_MAX_AGE_SECONDS = 31_536_000;
const VISITOR_ID = /^[A-Za-z0-9-]{8,64}$/;

function nameOf(raw: string | undefined): string {
  if (!raw || !MODEL_NAME.test(raw)) throw new ApiError(404, ErrorCode.NotFound, 'no such model');
  return raw;
}

/**
 * `GET /v1/models/:name?key=…&b=<bucket>` (or `&vid=<visitor id>`, or the visitor cookie) → the manifest of the
 * version this visitor should use (canary by a stable hash of the visitor id; none when killed), with the file's URL and the shadow candidate.
 * `GET /v1/models/:name/:version?key=…` → the file, immutable, `ETag` = its SHA-256.
 */
export const modelsRoute = new Hono<{ Bindings: Env; Variables: SiteVariables }>()
  .use('*', siteOriginGuard({ allowMissingOrigin: true }))
  .get('/:name', async (c) => {
    const site = c.get('site');
    const name = nameOf(c.req.param('name'));
    const loaded = await loadAssignmentState(c.env.DB, site.id, name);
    if (!loaded) throw new ApiError(404, ErrorCode.NotFound, `no model "${name}"`);
    const { state, manifests } = loaded;
    // The SDK sends its bucket (SHA-256 of model:visitor id, computed on the device) so that no id is in the URL;
    // `vid` or the first-party cookie serve other clients.
    const b = c.req.query('b');
    const vid = c.req.query('vid') ?? readVisitorCookie(c.req.raw);
    const bucket = b !== undefined && /^\d{1,4}$/.test(b) ? Number(b) : vid && VISITOR_ID.test(vid) ? await visitorBucket(name, vid) : undefined;
    const assignment = chooseVersion(state, bucket);
    const key = encodeURIComponent(c.req.query('key') ?? '');
    const url = (version: string) => `/v1/models/${name}/${encodeURIComponent(version)}?key=${key}`;
    const manifest = assignment.version ? manifests.get(assignment.version) ?? null : null;
    const shadowVersion = !state.killed && state.shadow && state.shadow !== assignment.version ? state.shadow : null;
    const shadow = shadowVersion ? manifests.get(shadowVersion) ?? null : null;
    const body = JSON.stringify({
      name, revision: state.revision, killed: state.killed, cohort: assignment.cohort,
      manifest, url: manifest ? url(manifest.version) : null,
      shadow: shadow ? { manifest: shadow, url: url(shadow.version) } : null,
    });
    const etag = `"${await digestHex(body)}"`;
    c.header('Cache-Control', ASSIGNMENT_CACHE_CONTROL);
    c.header('ETag', etag);
    if (matches(c.req.header('if-none-match'), etag)) return c.body(null, 304);
    c.header('Content-Type', 'application/json');
    return c.body(body);
  })
  .get('/:name/:version', async (c) => {
    const site = c.get('site');
    const name = nameOf(c.req.param('name'));
    const version = c.req.param('version');
    if (!MODEL_VERSION.test(version)) throw new ApiError(404, ErrorCode.NotFound, 'no such model version');
    const manifest = await loadManifest(c.env.CONFIG, c.env.DB, site.id, name, version);
    if (!manifest) throw new ApiError(404, ErrorCode.NotFound, `no version ${version} of model "${name}"`);
    const etag = `"${manifest.sha256}"`;
    c.header('ETag', etag);
    c.header('Cache-Control', `public, max-age=${FILE_MAX_AGE_SECONDS}, immutable`);
    c.header('X-Content-Type-Options', 'nosniff');
    if (matches(c.req.header('if-none-match'), etag)) return c.body(null, 304);
    const file = await loadModelFile(c.env.CONFIG, site.id, name, version);
    if (!file) throw new ApiError(503, ErrorCode.Unavailable, 'model file not yet readable, retry later', { 'Retry-After': '5' });
    c.header('Content-Type', 'application/octet-stream');
    return c.body(file);
  });

/** `If-None-Match` names this ETag (weak comparison, RFC 9110 §13.1.2). */
function matches(header: string | undefined, etag: string): boolean {
  return (header ?? '').split(',').some((t) => t.trim() === '*' || t.trim().replace(/^W\//, '') === etag);
}

/** The first 128 bits of the body's SHA-256, hex: the assignment's ETag. */
async function digestHex(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)), 0, 16);
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}
