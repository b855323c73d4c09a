import type { DataStore } from '../../rights/data-stores.ts';
import { loadSite } from '../../site-config/load-site-config.ts';
import type { WarehouseDestinationConfig } from '../../site-config/site-config.ts';
import { warehouseWriterFor } from './warehouse-target.ts';

/**
 * The warehouse in deletions: every warehouse destination of the site drops the person's buffered
 * rows and rewrites the landed files its ledger says hold their event ids (WarehouseWriter.purge).
 * `found` counts the ids a writer held, `removed` the rows taken out, `filesRewritten` the files
 * replaced (plus files deleted because they held only the person's rows).
 * Retention is not done here: landed partitions are deleted by event date in the scheduled
 * maintenance (maintain-warehouses.ts), so `expire` has nothing to do.
 */
export const warehouseStore: DataStore = {
  name: 'warehouse',
  kind: 'warehouse',
  async purge(env, target) {
    const count = { found: 0, removed: 0, filesRewritten: 0 };
    let scanned = 0;
    if (!target.eventIds.length) return count;
    const site = await loadSite(env.CONFIG, target.siteId);
    if (!site) return count;
    for (const [key, config] of Object.entries(site.destinations)) {
      if ((config as WarehouseDestinationConfig).type !== 'warehouse') continue;
      const result = await warehouseWriterFor(env.WAREHOUSE_WRITER, target.siteId, key).purge([...target.eventIds], target.now);
      count.found += result.found;
      count.removed += result.removed;
      count.filesRewritten += result.filesRewritten + result.filesDeleted;
      scanned += result.filesScanned;
    }
    return scanned > 0 ? { ...count, filesScanned: scanned } : count;
  },
  async expire() {
    return 0;
  },
};
