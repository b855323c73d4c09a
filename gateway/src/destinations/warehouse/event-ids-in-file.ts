import { parquetReadObjects, type AsyncBuffer } from 'hyparquet';

/**
 * The `event_id` column of one landed Parquet file, read from R2 by range: the footer and that
 * column's chunks only, not the file. Null when the object is gone.
 * @example await eventIdsInFile(env.WAREHOUSE, 'events/site=shop/date=2026-01-02/event=Purchase/part-000001.parquet', 1_048_576)
 */
export async function eventIdsInFile(bucket: R2Bucket, key: string, byteLength: number): Promise<string[] | null> {
  const head = await bucket.head(key);
  if (!head) return null;
  const file: AsyncBuffer = {
    byteLength: head.size || byteLength,
    async slice(start: number, end?: number): Promise<ArrayBuffer> {
      const object = await bucket.get(key, { range: { offset: start, length: (end ?? head.size) - start } });
      if (!object) throw new Error('warehouse file vanished while being read');
      return object.arrayBuffer();
    },
  };
  const rows = (await parquetReadObjects({ file, columns: ['event_id'] })) as Array<{ event_id: unknown }>;
  return rows.map((r) => r.event_id).filter((id): id is string => typeof id === 'string');
}
