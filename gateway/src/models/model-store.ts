import { ErrorCode } from '@sluice/protocol';
import { ApiError } from '../http/api-error.ts';
import type { ModelManifest } from './model-manifest-schema.ts';
import { EMPTY_ROLLOUT, type RolloutState } from './rollout-state.ts';

const fileKey = (site: string, model: string, version: string) => `model-file:${site}:${model}:${version}`;
const manifestKey = (site: string, model: string, version: string) => `model-manifest:${site}:${model}:${version}`;

/** Storage failures are ours: 503, never a 5xx the client caused. */
async function storage<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ApiError) throw error;
    throw new ApiError(503, ErrorCode.Unavailable, 'model registry storage unavailable, retry later', { 'Retry-After': '5' });
  }
}

/** The newest audit row of a model is its live state (primary-key lookup: one row read). */
const LATEST_STATE = 'SELECT state FROM model_changes WHERE site_id = ?1 AND model = ?2 ORDER BY revision DESC LIMIT 1';

/**
 * The rollout state of a model, or `null` when the site never published it: read from D1, strongly
 * consistent (every read goes to the primary), so a kill switch or rollback is served by every
 * location from the moment its change returns, with no KV propagation delay.
 */
export function loadRollout(db: D1Database, site: string, model: string): Promise<RolloutState | null> {
  return storage(async () => {
    const row = await db.prepare(LATEST_STATE).bind(site, model).first<{ state: string }>();
    return row ? (JSON.parse(row.state) as RolloutState) : null;
  });
}

/** What an assignment needs: the state and the manifests of the versions it can serve. */
export interface AssignmentState {
  readonly state: RolloutState;
  readonly manifests: ReadonlyMap<string, ModelManifest>;
}

/**
 * The state and the manifests of its live, canary and shadow versions in one D1 statement (one
 * round trip; 1–4 rows read): the per-request read of `GET /v1/models/:name`.
 */
export function loadAssignmentState(db: D1Database, site: string, model: string): Promise<AssignmentState | null> {
  return storage(async () => {
    const { results } = await db.prepare(
      `WITH s AS (${LATEST_STATE}) SELECT s.state AS state, v.version AS version, v.manifest AS manifest FROM s
       LEFT JOIN model_versions v ON v.site_id = ?1 AND v.model = ?2
       AND v.version IN (json_extract(s.state, '$.live'), json_extract(s.state, '$.canary.version'), json_extract(s.state, '$.shadow'))`,
    ).bind(site, model).all<{ state: string; version: string | null; manifest: string | null }>();
    if (!results.length) return null;
    const manifests = new Map<string, ModelManifest>();
    for (const r of results) if (r.version && r.manifest) manifests.set(r.version, JSON.parse(r.manifest) as ModelManifest);
    return { state: JSON.parse(results[0]!.state) as RolloutState, manifests };
  });
}

/**
 * A published version's manifest, or `null`: KV (immutable, cached at the edge), and D1 when this
 * location's KV has not seen a version published moments ago.
 */
export function loadManifest(kv: KVNamespace, db: D1Database, site: string, model: string, version: string): Promise<ModelManifest | null> {
  return storage(async () => {
    const cached = await kv.get<ModelManifest>(manifestKey(site, model, version), 'json');
    if (cached) return cached;
    const row = await db.prepare('SELECT manifest FROM model_versions WHERE site_id = ? AND model = ? AND version = ?').bind(site, model, version).first<{ manifest: string }>();
    return row ? (JSON.parse(row.manifest) as ModelManifest) : null;
  });
}

/** A published version's file, or `null`. */
export function loadModelFile(kv: KVNamespace, site: string, model: string, version: string): Promise<ArrayBuffer | null> {
  return storage(() => kv.get(fileKey(site, model, version), 'arrayBuffer'));
}

/**
 * Record a change: one audit row in D1, which is also the state served from then on (the newest
 * row wins; its primary key on the revision refuses a concurrent change made from the same state: 409).
 * Nothing is ever served unrecorded, and nothing recorded waits for a cache to expire.
 */
export function recordChange(db: D1Database, site: string, model: string, action: string, detail: unknown, state: RolloutState, now: number): Promise<void> {
  return storage(async () => {
    try {
      await db.prepare('INSERT INTO model_changes (site_id, model, revision, action, detail, state, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .bind(site, model, state.revision, action, JSON.stringify(detail), JSON.stringify(state), now).run();
    } catch (error) {
      if (/UNIQUE|PRIMARY KEY/i.test(String(error))) throw new ApiError(409, ErrorCode.Conflict, 'another change to this model was made at the same time; reload and retry');
      throw error;
    }
  });
}

/**
 * Store a new immutable version: its D1 row (the key refuses a second, different file under the
 * same version), then the file and manifest in KV. Returns false when this exact file was already published.
 */
export function storeVersion(kv: KVNamespace, db: D1Database, site: string, manifest: ModelManifest, file: Uint8Array, now: number): Promise<boolean> {
  return storage(async () => {
    const existing = await db.prepare('SELECT sha256 FROM model_versions WHERE site_id = ? AND model = ? AND version = ?')
      .bind(site, manifest.name, manifest.version).first<{ sha256: string }>();
    if (existing) {
      if (existing.sha256 === manifest.sha256) return false;
      throw new ApiError(409, ErrorCode.Conflict, `${manifest.name} ${manifest.version} is already published with another file; versions are immutable, publish a new version`);
    }
    await db.prepare('INSERT INTO model_versions (site_id, model, version, sha256, bytes, manifest, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .bind(site, manifest.name, manifest.version, manifest.sha256, manifest.bytes, JSON.stringify(manifest), now).run();
    await kv.put(fileKey(site, manifest.name, manifest.version), file);
    await kv.put(manifestKey(site, manifest.name, manifest.version), JSON.stringify(manifest));
    return true;
  });
}

/** The audit trail of one model, newest first. */
export function modelHistory(db: D1Database, site: string, model: string): Promise<unknown[]> {
  return storage(async () => {
    const { results } = await db.prepare('SELECT revision, action, detail, state, created_at AS createdAt FROM model_changes WHERE site_id = ? AND model = ? ORDER BY revision DESC LIMIT 200')
      .bind(site, model).all<{ revision: number; action: string; detail: string; state: string; createdAt: number }>();
    return results.map((r) => ({ ...r, detail: JSON.parse(r.detail), state: JSON.parse(r.state) }));
  });
}

export { EMPTY_ROLLOUT };

/** The names of the models a site has published, with how many versions each. */
export function listModels(db: D1Database, site: string): Promise<Array<{ model: string; versions: number }>> {
  return storage(async () => {
    const { results } = await db.prepare('SELECT model, COUNT(*) AS versions FROM model_versions WHERE site_id = ? GROUP BY model ORDER BY model LIMIT 200')
      .bind(site).all<{ model: string; versions: number }>();
    return results;
  });
}
