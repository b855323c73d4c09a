import { Hono } from 'hono';
import { z } from 'zod';
import { ErrorCode } from '@sluice/protocol';
import { formatPath } from '@sluice/consent';
import type { Env } from '../env.ts';
import { ApiError } from '../http/api-error.ts';
import { requireAdminToken } from '../admin/admin-token.ts';
import { loadSite } from '../site-config/load-site-config.ts';
import { MAX_MODEL_BYTES, MODEL_NAME, MODEL_VERSION, ModelManifestSchema } from './model-manifest-schema.ts';
import { applyChange, EMPTY_ROLLOUT, RolloutChange } from './rollout-state.ts';
import { loadRollout, modelHistory, recordChange, storeVersion } from './model-store.ts';

/** A publish body: the manifest as edge-models wrote it and the file, base64 (JSON keeps the admin API uniform). */
const PublishBody = z.object({ manifest: ModelManifestSchema, file: z.string().max(Math.ceil(MAX_MODEL_BYTES / 3) * 4 + 4) });
/** Base64 of the largest file, plus a little for the manifest. */
const MAX_BODY_BYTES = Math.ceil(MAX_MODEL_BYTES / 3) * 4 + 256 * 1024;

async function body<T>(request: Request, schema: z.ZodType<T>): Promise<T> {
  const text = await request.text();
  if (text.length > MAX_BODY_BYTES) throw new ApiError(413, ErrorCode.PayloadTooLarge, `body over ${MAX_BODY_BYTES} bytes`);
  let json: unknown;
  try { json = JSON.parse(text); } catch { throw new ApiError(400, ErrorCode.MalformedJson, 'body is not valid JSON'); }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0]!;
    throw new ApiError(422, ErrorCode.InvalidModel, `${formatPath(first.path) || '(root)'}: ${first.message}`);
  }
  return parsed.data;
}

function decodeBase64(text: string): Uint8Array {
  try {
    return Uint8Array.from(atob(text), (ch) => ch.charCodeAt(0));
  } catch {
    throw new ApiError(422, ErrorCode.InvalidModel, 'file: not base64');
  }
}

async function siteId(env: Env, raw: string | undefined): Promise<string> {
  const site = raw ? await loadSite(env.CONFIG, raw) : null;
  if (!site) throw new ApiError(404, ErrorCode.NotFound, `no site "${raw}"`);
  return site.id;
}

function modelName(raw: string | undefined): string {
  if (!raw || !MODEL_NAME.test(raw)) throw new ApiError(404, ErrorCode.NotFound, 'no such model');
  return raw;
}

/**
 * Model registry admin API under `/v1/admin/sites/:site/models` (Bearer `ADMIN_TOKEN`):
 * `PUT /:name/versions/:version` publish (manifest + file; SHA-256 checked; immutable),
 * `POST /:name/rollout` set-live / canary / end-canary / shadow / end-shadow / rollback / kill,
 * `GET /:name` state, `GET /:name/history` audit trail. Every change gets a revision and an audit row.
 */
export const modelsAdminRoute = new Hono<{ Bindings: Env }>()
  .use('*', requireAdminToken())
  .put('/:name/versions/:version', async (c) => {
    const site = await siteId(c.env, c.req.param('site'));
    const name = modelName(c.req.param('name'));
    const version = c.req.param('version');
    if (!MODEL_VERSION.test(version)) throw new ApiError(422, ErrorCode.InvalidModel, 'version: must match [0-9A-Za-z][0-9A-Za-z.+-]{0,31}');
    const { manifest, file: encoded } = await body(c.req.raw, PublishBody);
    if (manifest.name !== name || manifest.version !== version) throw new ApiError(422, ErrorCode.InvalidModel, `manifest is ${manifest.name} ${manifest.version}, the URL says ${name} ${version}`);
    const file = decodeBase64(encoded);
    if (file.byteLength !== manifest.bytes) throw new ApiError(422, ErrorCode.InvalidModel, `file is ${file.byteLength} bytes, the manifest says ${manifest.bytes}`);
    const sha = await sha256HexBytes(file);
    if (sha !== manifest.sha256) throw new ApiError(422, ErrorCode.InvalidModel, `file SHA-256 ${sha} differs from the manifest's ${manifest.sha256}`);
    const now = Date.now();
    const created = await storeVersion(c.env.CONFIG, c.env.DB, site, manifest, file, now);
    const before = (await loadRollout(c.env.DB, site, name)) ?? EMPTY_ROLLOUT;
    if (!created && before.versions.includes(version)) return c.json({ published: false, state: before }, 200);
    const state = applyChange(before, { action: 'publish', version });
    if ('error' in state) throw new ApiError(409, ErrorCode.Conflict, state.error);
    await recordChange(c.env.DB, site, name, 'publish', { version, sha256: sha }, state, now);
    return c.json({ published: true, state }, 201);
  })
  .post('/:name/rollout', async (c) => {
    const site = await siteId(c.env, c.req.param('site'));
    const name = modelName(c.req.param('name'));
    const change = await body(c.req.raw, RolloutChange);
    const before = await loadRollout(c.env.DB, site, name);
    if (!before) throw new ApiError(404, ErrorCode.NotFound, `no model "${name}"`);
    const state = applyChange(before, change);
    if ('error' in state) throw new ApiError(409, ErrorCode.Conflict, state.error);
    const { action, ...detail } = change;
    await recordChange(c.env.DB, site, name, action, detail, state, Date.now());
    return c.json({ state });
  })
  .get('/:name', async (c) => {
    const state = await loadRollout(c.env.DB, await siteId(c.env, c.req.param('site')), modelName(c.req.param('name')));
    if (!state) throw new ApiError(404, ErrorCode.NotFound, 'no such model');
    return c.json({ state });
  })
  .get('/:name/history', async (c) => {
    return c.json({ changes: await modelHistory(c.env.DB, await siteId(c.env, c.req.param('site')), modelName(c.req.param('name'))) });
  });

async function sha256HexBytes(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}
