import { describe, expect, it } from 'vitest';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { writeParquet } from './write-parquet.ts';
import { WAREHOUSE_COLUMNS, type WarehouseRow } from './warehouse-schema.ts';

function row(i: number): WarehouseRow {
  const empty = Object.fromEntries(WAREHOUSE_COLUMNS.map((c) => [c.name, null])) as unknown as WarehouseRow;
  return { ...empty, event_id: `id-${i}`, event_type: 'track', event_name: 'Purchase', event_time: 1_764_633_600_000 + i, received_at: 1_764_633_600_000 + i, consent_mode: 'full', properties: i % 2 ? { value: i } : null };
}

describe('writeParquet', () => {
  it('writes row group by row group with the versioned schema, readable back as the same rows', async () => {
    const rows = Array.from({ length: 250 }, (_, i) => row(i));
    const file = writeParquet(rows, 100);
    const metadata = parquetMetadata(file);
    expect(metadata.row_groups.map((g) => Number(g.num_rows))).toEqual([100, 100, 50]);
    expect(metadata.schema.slice(1).map((s) => s.name)).toEqual(WAREHOUSE_COLUMNS.map((c) => c.name));
    const back = (await parquetReadObjects({ file })) as Array<Record<string, unknown>>;
    expect(back.map((r) => r.event_id)).toEqual(rows.map((r) => r.event_id));
    expect(back[1]!.properties).toEqual({ value: 1 });
    expect(back[0]!.email_hash).toBeNull();
    expect((back[3]!.event_time as Date).getTime()).toBe(rows[3]!.event_time);
  });

  it('refuses to write a file without rows', () => {
    expect(() => writeParquet([])).toThrow(/at least one row/);
  });
});
