import type { Event } from '@sluice/protocol';

/** Interaction counts older than this are forgotten (a month of browsing; the TTL can be set per site). */
export const DEFAULT_FEATURE_TTL_DAYS = 30;
const DAY_MS = 86_400_000;
/** A session ends after 30 minutes without events, as in the core's session ids. */
export const FEATURE_SESSION_MS = 30 * 60 * 1000;
/** Most items remembered; the least recent go first (bounds IndexedDB size and feature time). */
export const MAX_FEATURE_ITEMS = 500;

interface Count { n: number; t: number }

/** The visitor's own interactions, as kept on the device (never sent anywhere). */
export interface FeatureState {
  items: Record<string, Count>;
  categories: Record<string, Count>;
  session: { start: number; last: number; depth: number };
}

/** A visitor with no history. */
export const emptyFeatures = (): FeatureState => ({ items: {}, categories: {}, session: { start: 0, last: 0, depth: 0 } });

const str = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : undefined);

/**
 * Count one event into the state: an item interaction when the event names an item
 * (`item_id` / `product_id`, with `category`), session depth for every page view.
 *
 * @example
 * observe(state, { type: 'track', event: 'Product Viewed', properties: { item_id: 'sku-1', category: 'shoes' } }, Date.now());
 */
export function observe(state: FeatureState, event: Pick<Event, 'type' | 'properties'>, now: number): void {
  const s = state.session;
  if (now - s.last > FEATURE_SESSION_MS) { s.start = now; s.depth = 0; }
  s.last = now;
  if (event.type === 'page') s.depth++;
  const p = event.properties ?? {};
  const item = str(p.item_id ?? p.product_id);
  if (!item) return;
  bump(state.items, item, now);
  const category = str(p.category ?? p.item_category);
  if (category) bump(state.categories, category, now);
  const ids = Object.keys(state.items);
  if (ids.length > MAX_FEATURE_ITEMS) {
    ids.sort((a, b) => state.items[a]!.t - state.items[b]!.t).slice(0, ids.length - MAX_FEATURE_ITEMS).forEach((id) => delete state.items[id]);
  }
}

function bump(map: Record<string, Count>, key: string, now: number): void {
  const c = (map[key] ??= { n: 0, t: now });
  c.n++;
  c.t = now;
}

/**
 * Forget counts whose last interaction is older than the TTL.
 *
 * @example
 * expire(state, Date.now(), 30);
 */
export function expire(state: FeatureState, now: number, ttlDays = DEFAULT_FEATURE_TTL_DAYS): void {
  const cutoff = now - ttlDays * DAY_MS;
  for (const map of [state.items, state.categories]) for (const k of Object.keys(map)) if (map[k]!.t < cutoff) delete map[k];
}

/**
 * Every feature a model may ask for by name (manifest `featureSpec[].name`), for one candidate.
 * `position_*` are 0: candidates are scored as if in the first slot.
 *
 * @example
 * featureValues(state, { id: 'sku-1', category: 'shoes' }, Date.now()).item_affinity;
 */
export function featureValues(state: FeatureState, candidate: { id: string; category?: string }, now: number): Record<string, number> {
  const item = state.items[candidate.id];
  const category = candidate.category ? state.categories[candidate.category] : undefined;
  let total = 0;
  for (const c of Object.values(state.items)) total += c.n;
  return {
    item_affinity: Math.log1p(item?.n ?? 0),
    item_seen: item ? 1 : 0,
    category_affinity: Math.log1p(category?.n ?? 0),
    total_activity: Math.log1p(total),
    item_recency_days: item ? (now - item.t) / DAY_MS : -1,
    session_depth: now - state.session.last > FEATURE_SESSION_MS ? 0 : state.session.depth,
    position_2: 0,
    position_3: 0,
  };
}

/**
 * The model's input matrix for all candidates at once, row-major (`columns[i]` names column i), into
 * `out` when it has the right length: the same values as {@link featureValues}, with the visitor's
 * total counted once per call and no object per candidate. `undefined` when a column is not a known feature.
 *
 * @example
 * featureMatrix(state, candidates, ['item_affinity', 'item_seen'], Date.now());
 */
export function featureMatrix(state: FeatureState, candidates: readonly { id: string; category?: string }[], columns: readonly string[], now: number, out?: Float32Array): Float32Array | undefined {
  const width = columns.length;
  const data = out?.length === candidates.length * width ? out : new Float32Array(candidates.length * width);
  let total = 0;
  for (const k in state.items) total += state.items[k]!.n;
  const depth = now - state.session.last > FEATURE_SESSION_MS ? 0 : state.session.depth;
  for (let r = 0; r < candidates.length; r++) {
    const c = candidates[r]!;
    const item = state.items[c.id];
    const category = c.category ? state.categories[c.category] : undefined;
    for (let j = 0; j < width; j++) {
      let v: number;
      switch (columns[j]) {
        case 'item_affinity': v = Math.log1p(item?.n ?? 0); break;
        case 'item_seen': v = item ? 1 : 0; break;
        case 'category_affinity': v = Math.log1p(category?.n ?? 0); break;
        case 'total_activity': v = Math.log1p(total); break;
        case 'item_recency_days': v = item ? (now - item.t) / DAY_MS : -1; break;
        case 'session_depth': v = depth; break;
        case 'position_2': case 'position_3': v = 0; break;
        default: return undefined;
      }
      data[r * width + j] = v;
    }
  }
  return data;
}
