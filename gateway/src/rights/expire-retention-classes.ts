import type { Env } from '../env.ts';
import { DATA_STORES, type DataStore } from './data-stores.ts';

/** What the retention-class pass removed for one site. */
export interface ClassExpiry {
  /** Events whose class expired, in all and per class. */
  events: number;
  byClass: Record<string, number>;
  /** Rows (or marks, for queued items) removed per store. */
  stores: Record<string, number>;
  /** The per-run bound was reached: the next run goes on. */
  more: boolean;
}

const PAGE = 200;
const MAX_PAGES = 25;

/**
 * Stores holding an event's own data, keyed by its event id: the retention class removes the
 * event from each. The subject index and identity links (keyed by person, shared by many events)
 * expire by their own TTL; the retention schedule's rows are removed here as they are handled.
 */
function eventStores(): DataStore[] {
  return DATA_STORES.filter((s) => s.kind !== 'subjectIndex');
}

/**
 * The scheduled pass for plan retention classes: every event of the site whose class has expired
 * (`event_retention.expires_at <= now`) is purged from every store keyed by event id — delivery
 * log, dead letters, delivered ids, pixel ids, consent audit, quarantine, queued items (marked so
 * the consumers drop them) and the warehouse — then its schedule row goes. At most
 * `PAGE × MAX_PAGES` events per site and run.
 * @example const expiry = await expireRetentionClasses(env, 'demo', Date.now())
 */
export async function expireRetentionClasses(env: Env, siteId: string, now: number): Promise<ClassExpiry> {
  const out: ClassExpiry = { events: 0, byClass: {}, stores: {}, more: false };
  const stores = eventStores();
  for (let page = 0; page < MAX_PAGES; page++) {
    const { results } = await env.DB.prepare('SELECT event_id, class FROM event_retention WHERE site_id = ? AND expires_at <= ? ORDER BY expires_at LIMIT ?')
      .bind(siteId, now, PAGE)
      .all<{ event_id: string; class: string }>();
    if (results.length === 0) return out;
    const eventIds = results.map((r) => r.event_id);
    for (const store of stores) {
      const count = await store.purge(env, { siteId, eventIds, subjectKeys: [], now });
      out.stores[store.name] = (out.stores[store.name] ?? 0) + (store.name === 'queued items' ? count.found : count.removed);
    }
    for (let i = 0; i < eventIds.length; i += 90) {
      const part = eventIds.slice(i, i + 90);
      await env.DB.prepare(`DELETE FROM event_retention WHERE site_id = ? AND event_id IN (${part.map(() => '?').join(',')})`).bind(siteId, ...part).run();
    }
    out.events += results.length;
    for (const r of results) out.byClass[r.class] = (out.byClass[r.class] ?? 0) + 1;
    if (results.length < PAGE) return out;
  }
  out.more = true;
  return out;
}
