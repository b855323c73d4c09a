/**
 * File sizing. Analytics engines read Parquet best in files of tens to hundreds of MB (DuckDB,
 * Spark and BigQuery all warn about "small files"); a Worker must hold one file in memory (128 MB).
 * 1 MB is the floor the issue sets; compaction merges smaller files of a partition up to the target.
 */
export const WAREHOUSE_TARGET_FILE_BYTES = 1024 * 1024;
/** A partition's buffer is landed at the latest this long after its first event (freshness bound). */
export const WAREHOUSE_MAX_FILE_AGE_MS = 3 * 60 * 1000;
/**
 * Parquet bytes per byte of row JSON, measured by `bench/warehouse.bench.mjs` on the demo event mix
 * (about 0.13; rounded up so a flush by size lands a file of at least the target).
 */
export const PARQUET_BYTES_PER_JSON_BYTE = 0.15;
/** Compacted files stop growing here: far inside the 128 MB isolate limit while one is built. */
export const WAREHOUSE_MAX_COMPACTED_BYTES = 64 * 1024 * 1024;
/**
 * Event ids already landed are remembered this long per partition (exactly-once under queue
 * redelivery and dead-letter replay): the delivered ledger's 30 days (delivery/prune-delivery-state.ts).
 */
export const WAREHOUSE_LANDED_ID_RETENTION_DAYS = 30;
/** Default retention of landed files when neither the destination nor the policy says (13 months, the usual analytics horizon). */
export const WAREHOUSE_DEFAULT_RETENTION = 'P400D';
