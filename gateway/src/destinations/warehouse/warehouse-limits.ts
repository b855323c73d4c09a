/**
 * File sizing. Analytics engines read Parquet best in files of tens to hundreds of MB (DuckDB,
 * Spark and BigQuery all warn about "small files"); a Worker must hold one file in memory (128 MB).
 * 1 MB is the floor the issue sets; compaction merges smaller files of a partition up to the target.
 */
export const WAREHOUSE_TARGET_FILE_BYTES = 1024 * 1024;
/** A partition's buffer is landed at the latest this long after its first event (freshness bound). */
export const WAREHOUSE_MAX_FILE_AGE_MS = 3 * 60 * 1000;
/**
 * Parquet bytes per byte of row JSON, as the flush-by-size estimate assumes. `bench/warehouse.bench.mjs`
 * measures 0.137 on the demo event mix; the estimate stays below that so a file flushed by size is at
 * least the target (a partition flushes when its buffered JSON × this ≥ the target).
 */
export const PARQUET_BYTES_PER_JSON_BYTE = 0.12;
/**
 * Rows per Parquet row group, read from the writer's storage one group at a time (about 2.5 MB of
 * row JSON): a file is never held as rows in memory, only as its growing output.
 */
export const WAREHOUSE_ROW_GROUP_ROWS = 20_000;
/**
 * Compacted files stop growing here. The output is built in memory (and copied once when finished):
 * 16 MB keeps that far inside a Worker's 128 MB.
 */
export const WAREHOUSE_MAX_COMPACTED_BYTES = 16 * 1024 * 1024;
/** Default retention of landed files when neither the destination nor the policy says (13 months, the usual analytics horizon). */
export const WAREHOUSE_DEFAULT_RETENTION = 'P400D';
