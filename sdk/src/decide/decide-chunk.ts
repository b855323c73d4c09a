/**
 * The lazily loaded decide chunk (`/sdk/<version>/sluice-decide.js`): only pages that call
 * `sluice.decide` load it. One decision per slot per session (the same variant on every page of
 * a visit), a timeout that falls back to the default arm, and the session's decision ids kept
 * for the core to attach to conversions (`decisionIds`).
 */
import type { Decision, DecideOptions } from './decision.ts';
import type { ChunkHost } from '../chunk-host.ts';

/** The default time budget: an above-the-fold slot cannot wait longer than a frame or two of a slow network. */
export const DEFAULT_DECIDE_TIMEOUT_MS = 300;
/** sessionStorage key of the session's decision ids (read by the core on load); one key per slot for the cached decision. */
export const SESSION_DECISIONS_KEY = 'sl_decs';
/** A session rarely shows more slots than this; older ids are dropped first. */
export const MAX_SESSION_DECISIONS = 10;

const cache = new Map<string, Promise<Decision>>();

function session(): Storage | undefined {
  try {
    return sessionStorage;
  } catch {
    return undefined; // sandboxed iframes, disabled storage
  }
}

/**
 * Decides `slot` (the gateway experiment id) for this session. Never rejects: on timeout, an
 * error or a non-2xx answer it resolves to `{ arm: defaultArm, fallback: true }` (not cached, so a
 * later call may still get a real decision).
 *
 * `storage` says whether the device may keep data *now*: the page usually decides before the
 * consent policy and the CMP have answered, so a decision is kept once it is allowed (at the
 * latest when the page is left). A kept decision exists only if storage was allowed when it was
 * written, so it is read without asking.
 */
export function decide(host: ChunkHost, slot: string, context: Record<string, string | number> | number[] | undefined, options: DecideOptions, storage: () => boolean): Promise<Decision> {
  const { options: { endpoint, writeKey }, decisions } = host;
  const store = session();
  const key = `sl_dec:${slot}`;
  let hit = cache.get(slot);
  if (!hit) {
    const kept = store?.getItem(key);
    if (kept) hit = Promise.resolve(JSON.parse(kept) as Decision);
  }
  if (hit) return hit;
  const fallback: Decision = { arm: options.defaultArm ?? null, payload: null, fallback: true };
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), options.timeoutMs ?? DEFAULT_DECIDE_TIMEOUT_MS);
  const pending = fetch(`${endpoint.replace(/\/$/, '')}/v1/decide?key=${encodeURIComponent(writeKey)}`, {
    method: 'POST',
    credentials: 'include',
    // text/plain: no CORS preflight, so one round trip.
    headers: { 'content-type': 'text/plain' },
    body: JSON.stringify({ experiment: slot, ...(context ? { context } : {}) }),
    signal: controller.signal,
  })
    .then(async (response) => {
      if (!response.ok) throw new Error(`decide ${slot}: HTTP ${response.status}`);
      const body = (await response.json()) as Omit<Decision, 'fallback'>;
      const decision: Decision = { ...body, fallback: false };
      if (decision.decisionId && !decisions.includes(decision.decisionId)) {
        decisions.push(decision.decisionId);
        decisions.splice(0, Math.max(0, decisions.length - MAX_SESSION_DECISIONS));
      }
      const keep = () => {
        try {
          if (!storage()) return false;
          store?.setItem(key, JSON.stringify(decision));
          store?.setItem(SESSION_DECISIONS_KEY, JSON.stringify(decisions));
        } catch {
          // quota: the decision lives for this page only
        }
        return true;
      };
      // Not allowed yet (consent pending): the next page of the visit should still show this variant.
      if (!keep()) addEventListener('pagehide', keep, { once: true });
      return decision;
    })
    .catch(() => {
      cache.delete(slot);
      return fallback;
    })
    .finally(() => clearTimeout(timer));
  cache.set(slot, pending);
  return pending;
}
