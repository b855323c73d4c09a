import type { WarehouseDestinationConfig } from '../../site-config/site-config.ts';
import type { Destination } from '../destination.ts';
import { toWarehouseRow } from './to-warehouse-row.ts';
import type { WarehouseRow } from './warehouse-schema.ts';
import { warehouseTarget, warehouseWriterFor } from './warehouse-target.ts';

/** Rows per call to the writer: a queue batch holds at most 100 messages, so this never splits one. */
export const WAREHOUSE_MAX_BATCH = 1000;

/**
 * Warehouse landing in R2 as Parquet. `toItem` (at ingest) builds the minimized, hashed row; `send`
 * (queue consumer) hands rows to the destination's WarehouseWriter, which buffers, deduplicates by
 * partition and event id, and lands files. Writer failures are retried by the queue.
 * @example site config: `{ "lake": { "type": "warehouse", "prefix": "events" } }`
 */
export const warehouseDestination: Destination<WarehouseDestinationConfig, WarehouseRow> = {
  type: 'warehouse',
  maxBatchSize: WAREHOUSE_MAX_BATCH,
  toItem: (event, facts, _config, consent) => toWarehouseRow(event, facts, consent),
  async send(items, config, env, target) {
    if (!target) return { ok: false, retryable: false, reason: 'warehouse send needs its site and destination', wholeRequest: true };
    try {
      await warehouseWriterFor(env.WAREHOUSE_WRITER, target.siteId, target.destinationKey).append(warehouseTarget(target.siteId, config), items);
      return { ok: true };
    } catch (error) {
      return { ok: false, retryable: true, reason: `warehouse writer: ${(error as Error).name}` };
    }
  },
  // Rows hold no clear personal data (hashed identities, truncated IP): a dead letter may keep them as they are.
  forStorage: (row) => row,
};

export { WarehouseWriter } from './warehouse-writer.ts';
export { WAREHOUSE_SCHEMA_VERSION, WAREHOUSE_COLUMNS, type WarehouseRow } from './warehouse-schema.ts';
export { writeParquet } from './write-parquet.ts';
export { partitionOf } from './partition-of.ts';
export { warehouseProperties } from './warehouse-properties.ts';
export { maintainWarehouses } from './maintain-warehouses.ts';
export { warehouseAdminRoute } from './warehouse-admin-route.ts';
