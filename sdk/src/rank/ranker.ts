import type { Event } from '@sluice/protocol';
import { loadChunk } from '../load-chunk.ts';
import { reportError, setErrorHandler } from '../safe.ts';
import type { ChunkHost } from '../chunk-host.ts';
import type { Candidate, Explanation, PersonalizeOptions, RankResult, RankSource } from './rank-types.ts';
import { emptyFeatures, expire, featureMatrix, observe, type FeatureState } from './feature-state.ts';
import { readFeatures, writeFeatures } from './feature-store.ts';
import { createSession, sha256Hex, type ModelSession, type ServedManifest } from './model-session.ts';
import { contributions } from './explain-top.ts';

/** A `rank` call waits at most this long for its model before keeping the page's order (it keeps loading for later calls). */
export const DEFAULT_RANK_TIMEOUT_MS = 800;
/** The core's new events are counted and written this often: a burst of events costs one IndexedDB write. */
export const FEATURE_WRITE_DELAY_MS = 250;
/**
 * A page that lives longer than this re-checks its assignment before a rank (in the background; that
 * rank still uses the model it has), so a kill switch or rollback reaches it too. Each check is a
 * conditional request (ETag → 304) the gateway answers from its strongly consistent state.
 */
export const DEFAULT_RECHECK_SECONDS = 30;
/** Names of the outcome events (ordinary events; they carry model name and version, never features). */
export const IMPRESSION_EVENT = 'Slot Impression';
export const CLICK_EVENT = 'Slot Click';

type Loaded = { session: ModelSession; manifest: ServedManifest; cohort: string; shadow?: { session: ModelSession; manifest: ServedManifest } };
type Failure = { failed: Exclude<RankSource, 'model' | 'consent' | 'timeout'> };

/**
 * The on-device ranker: a feature store built from this visitor's own events, and the model
 * the gateway assigns (verified by SHA-256), run by the tiny runtime or onnxruntime-web.
 *
 * `host` is the core (see ChunkHost: options, `track`, and `seen`, the events to count while
 * personalization is allowed); `persist` says whether the device may keep data (IndexedDB,
 * otherwise features live for this page only); `visitorId` is the core's anonymous id.
 *
 * @example
 * const ranker = await createRanker(client, storageAllowed, visitorId); await ranker.rank('home', [{ id: 'a' }, { id: 'b' }]);
 */
export async function createRanker(host: ChunkHost, persist: () => boolean, visitorId: () => string) {
  // This chunk has its own copy of safe.ts: route its errors to the page's onError too.
  setErrorHandler(host.options.onError);
  const ctx = {
    endpoint: host.options.endpoint,
    writeKey: host.options.writeKey,
    personalize: host.options.personalize as PersonalizeOptions,
    persist,
    visitorId,
    track: (event: string, properties: Record<string, unknown>) => host.track(event, properties),
  };
  const ttl = ctx.personalize.ttlDays;
  // The core starts a new `seen` buffer on reset and drops it when consent is withdrawn, and deletes
  // the feature database itself: from then on this ranker counts, writes and ranks nothing.
  const mine = host.seen ?? [];
  const allowed = () => host.seen === mine;
  let state: FeatureState = ctx.persist() ? await readFeatures() : emptyFeatures();
  expire(state, Date.now(), ttl);
  let model: Promise<Loaded | Failure> | undefined;
  let ready: Loaded | Failure | undefined;
  const last = new Map<string, { row: Float32Array; item: string; loaded: Loaded }>();

  let writeTimer: ReturnType<typeof setInterval> | undefined;
  const drain = () => {
    if (!allowed()) {
      // Purged: forget what this page held too.
      clearInterval(writeTimer);
      state = emptyFeatures();
      last.clear();
      return;
    }
    if (!mine.length) return;
    const now = Date.now();
    mine.splice(0).forEach((event) => observe(state, event, now));
    if (ctx.persist()) void writeFeatures(state).catch(reportError);
  };
  drain();
  writeTimer = setInterval(drain, FEATURE_WRITE_DELAY_MS);

  const base = ctx.endpoint.replace(/\/$/, '');
  // Sessions by the file's SHA-256: a re-check that assigns the same file keeps its session, and a
  // rollback to a version this page already ran needs no second download.
  const sessions = new Map<string, Promise<ModelSession | Failure>>();
  const load = (manifest: ServedManifest, url: string): Promise<ModelSession | Failure> => {
    let session = sessions.get(manifest.sha256);
    if (!session) {
      session = (async (): Promise<ModelSession | Failure> => {
        const response = await fetch(base + url);
        if (!response.ok) return { failed: 'unavailable' };
        const bytes = await response.arrayBuffer();
        if ((await sha256Hex(bytes)) !== manifest.sha256) return { failed: 'tampered' };
        try {
          return await createSession(new Uint8Array(bytes), manifest, ctx.personalize.runtime ?? 'auto', () => loadChunk(ctx.endpoint, 'ort'));
        } catch (error) {
          reportError(error);
          return { failed: 'unsupported' };
        }
      })();
      sessions.set(manifest.sha256, session);
      // A failure is not kept: the next assignment may fetch the file again.
      void session.then((s) => 'failed' in s && sessions.delete(manifest.sha256), () => sessions.delete(manifest.sha256));
    }
    return session;
  };
  let checkedAt = 0;
  const loadModel = async (): Promise<Loaded | Failure> => {
    checkedAt = Date.now();
    // The canary bucket, hashed here: the visitor id never goes into a URL (same hash as the gateway's visitorBucket).
    const digest = new DataView(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(`${ctx.personalize.model}:${ctx.visitorId()}`)));
    const q = `?key=${encodeURIComponent(ctx.writeKey)}&b=${digest.getUint32(0) % 10_000}`;
    // The gateway serves assignments `no-cache` with an ETag: the browser revalidates every time (304).
    const response = await fetch(`${base}/v1/models/${encodeURIComponent(ctx.personalize.model)}${q}`, { credentials: 'include' });
    if (!response.ok) return { failed: 'unavailable' };
    const a = (await response.json()) as { killed: boolean; cohort: string; manifest: ServedManifest | null; url: string | null; shadow: { manifest: ServedManifest; url: string } | null };
    if (a.killed) return { failed: 'killed' };
    if (!a.manifest || !a.url) return { failed: 'unavailable' };
    const session = await load(a.manifest, a.url);
    if ('failed' in session) return session;
    const shadow = a.shadow ? await load(a.shadow.manifest, a.shadow.url).catch(() => undefined) : undefined;
    return { session, manifest: a.manifest, cohort: a.cohort, ...(shadow && !('failed' in shadow) ? { shadow: { session: shadow, manifest: a.shadow!.manifest } } : {}) };
  };
  let rechecking = false;
  /** In the background: a fresh assignment replaces the current one once it is ready; a network failure keeps it. */
  const recheck = () => {
    rechecking = true;
    loadModel()
      .then((m) => { if (!('failed' in m && m.failed === 'unavailable' && ready && !('failed' in ready))) model = Promise.resolve((ready = m)); })
      .catch(reportError)
      .finally(() => (rechecking = false));
  };

  // The input columns of a manifest, in column order (resolved once per model).
  const columnsOf = new WeakMap<ServedManifest, string[]>();
  const matrix = (manifest: ServedManifest, candidates: Candidate[], now: number): Float32Array | undefined => {
    let columns = columnsOf.get(manifest);
    if (!columns) columnsOf.set(manifest, (columns = [...manifest.featureSpec].sort((a, b) => a.column - b.column).map((f) => f.name)));
    return featureMatrix(state, candidates, columns, now);
  };

  const outcome = (slot: string, items: Candidate[], scores: number[] | null, source: RankSource, loaded?: Loaded, extra: Record<string, unknown> = {}): RankResult => {
    const tags = { slot, model: loaded?.manifest.name ?? null, model_version: loaded?.manifest.version ?? null, rank_source: source };
    ctx.track(IMPRESSION_EVENT, { ...tags, ...(loaded ? { cohort: loaded.cohort } : {}), items: items.map((c) => c.id), ...extra });
    return {
      items, scores, source, model: tags.model, version: tags.model_version,
      click: (id) => {
        const at = items.findIndex((c) => c.id === id);
        if (at >= 0) ctx.track(CLICK_EVENT, { ...tags, item_id: id, ...(items[at]!.category ? { category: items[at]!.category } : {}), rank: at + 1 });
      },
    };
  };

  async function rank(slot: string, candidates: Candidate[]): Promise<RankResult> {
      const given = candidates.slice();
      if (!allowed()) return outcome(slot, given, null, 'consent');
      drain();
      model ??= loadModel().catch((error) => (reportError(error), { failed: 'unavailable' as const })).then((m) => (ready = m));
      let timer: ReturnType<typeof setTimeout> | undefined;
      // Once loaded, no timer per call (a warm rank is a few tens of µs; a timer costs some of them).
      const loaded = ready ?? (await Promise.race([model, new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), ctx.personalize.timeoutMs ?? DEFAULT_RANK_TIMEOUT_MS)))]));
      clearTimeout(timer);
      if (loaded === 'timeout') return outcome(slot, given, null, 'timeout');
      if (ready && !rechecking && Date.now() - checkedAt > (ctx.personalize.recheckSeconds ?? DEFAULT_RECHECK_SECONDS) * 1000) recheck();
      if ('failed' in loaded) return outcome(slot, given, null, loaded.failed);
      const now = Date.now();
      expire(state, now, ttl);
      const width = loaded.manifest.featureSpec.length;
      const data = matrix(loaded.manifest, given, now);
      if (!data || given.length === 0) return outcome(slot, given, null, data ? 'model' : 'unsupported', loaded);
      const scores = await loaded.session.score(data, given.length, width);
      const order = given.map((_, i) => i).sort((a, b) => scores[b]! - scores[a]! || a - b);
      const extra: Record<string, unknown> = {};
      if (loaded.shadow) {
        const shadowData = matrix(loaded.shadow.manifest, given, now);
        if (shadowData) {
          const s = await loaded.shadow.session.score(shadowData, given.length, loaded.shadow.manifest.featureSpec.length);
          const top = given.map((_, i) => i).sort((a, b) => s[b]! - s[a]! || a - b)[0];
          extra.shadow_version = loaded.shadow.manifest.version;
          extra.shadow_top_agrees = top === order[0];
        }
      }
      last.set(slot, { row: data.slice(order[0]! * width, (order[0]! + 1) * width), item: given[order[0]!]!.id, loaded });
      return outcome(slot, order.map((i) => given[i]!), order.map((i) => scores[i]!), 'model', loaded, extra);
  }

  return {

    /** Never rejects: anything that goes wrong while ranking gives the page's order (and an onError report). */
    rank(slot: string, candidates: Candidate[]): Promise<RankResult> {
      return rank(slot, candidates).catch((error) => (reportError(error), outcome(slot, candidates.slice(), null, 'unavailable')));
    },

    async explain(slot: string): Promise<Explanation | null> {
      const entry = last.get(slot);
      if (!entry || !allowed()) return null;
      const { manifest, session } = entry.loaded;
      const names = [...manifest.featureSpec].sort((a, b) => a.column - b.column).map((f) => f.name);
      const r = await contributions(entry.row, names, (batch, rows) => session.score(batch, rows, names.length));
      return {
        slot, item: entry.item, model: manifest.name, version: manifest.version,
        method: manifest.explanation === 'exact-linear' ? 'exact' : 'approximation', ...r,
      };
    },

    /** For tests and the demo: the on-device state (never sent). */
    features: () => state,
  };
}

/** What `createRanker` resolves to. */
export type Ranker = Awaited<ReturnType<typeof createRanker>>;
