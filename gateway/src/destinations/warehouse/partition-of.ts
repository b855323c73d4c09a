import type { WarehouseRow } from './warehouse-schema.ts';

/**
 * The Hive-style partition of a row: `site=<id>/date=<YYYY-MM-DD of the event, UTC>/event=<name>`.
 * Event names are percent-encoded as Hive does for partition values, so any name is one path
 * segment; the exact name is also in the `event_name` column.
 * @example partitionOf('shop', row) // 'site=shop/date=2026-12-02/event=Purchase'
 */
export function partitionOf(siteId: string, row: Pick<WarehouseRow, 'event_time' | 'event_name'>): string {
  const date = new Date(row.event_time).toISOString().slice(0, 10);
  return `site=${siteId}/date=${date}/event=${encodeURIComponent(row.event_name)}`;
}

/** The date of a partition (`YYYY-MM-DD`), for retention. */
export function partitionDate(partition: string): string | undefined {
  return /\/date=(\d{4}-\d{2}-\d{2})\//.exec(partition)?.[1];
}
