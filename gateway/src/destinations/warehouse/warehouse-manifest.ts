import { WAREHOUSE_SCHEMA_VERSION } from './warehouse-schema.ts';

/** The manifest's own file name inside each partition. */
export const MANIFEST_NAME = '_manifest.json';

/** One committed data file of a partition. */
export interface ManifestFile {
  key: string;
  rows: number;
  bytes: number;
  createdAt: string;
}

/**
 * `<partition>/_manifest.json`: the files that make up the partition now. Readers that list files
 * from it never see a file before its rows are committed, nor a file replaced by compaction.
 */
export interface PartitionManifest {
  format: 'sluice-warehouse-manifest';
  version: 1;
  schemaVersion: string;
  partition: string;
  updatedAt: string;
  rows: number;
  files: ManifestFile[];
}

/** Builds a partition's manifest from its committed files. */
export function partitionManifest(partition: string, files: ManifestFile[], now: number): PartitionManifest {
  return {
    format: 'sluice-warehouse-manifest',
    version: 1,
    schemaVersion: WAREHOUSE_SCHEMA_VERSION,
    partition,
    updatedAt: new Date(now).toISOString(),
    rows: files.reduce((sum, f) => sum + f.rows, 0),
    files,
  };
}
