import type { WarehouseDestinationConfig } from '../../site-config/site-config.ts';
import { WAREHOUSE_MAX_FILE_AGE_MS, WAREHOUSE_TARGET_FILE_BYTES } from './warehouse-limits.ts';
import type { WarehouseTarget } from './warehouse-writer.ts';

/** Files land under `<prefix>/site=…` ; the default prefix. */
export const WAREHOUSE_DEFAULT_PREFIX = 'events';

/** The writer settings of one warehouse destination, defaults filled in. */
export function warehouseTarget(siteId: string, config: WarehouseDestinationConfig): WarehouseTarget {
  return {
    siteId,
    prefix: config.prefix ?? WAREHOUSE_DEFAULT_PREFIX,
    targetFileBytes: config.targetFileBytes ?? WAREHOUSE_TARGET_FILE_BYTES,
    maxFileAgeMs: config.maxFileAgeSeconds === undefined ? WAREHOUSE_MAX_FILE_AGE_MS : config.maxFileAgeSeconds * 1000,
  };
}

/** The writer of one destination: one Durable Object per site and destination key. */
export function warehouseWriterFor(namespace: DurableObjectNamespace<import('./warehouse-writer.ts').WarehouseWriter>, siteId: string, destinationKey: string) {
  return namespace.get(namespace.idFromName(`${siteId}/${destinationKey}`));
}
