import { DurableObject } from 'cloudflare:workers';
import type { Env } from '../../env.ts';
import { MANIFEST_NAME, partitionManifest, type ManifestFile } from './warehouse-manifest.ts';
import { partitionDate, partitionOf } from './partition-of.ts';
import {
  PARQUET_BYTES_PER_JSON_BYTE,
  WAREHOUSE_MAX_COMPACTED_BYTES,
  WAREHOUSE_ROW_GROUP_ROWS,
} from './warehouse-limits.ts';
import type { WarehouseRow } from './warehouse-schema.ts';
import { startParquet } from './write-parquet.ts';
import { parquetReadObjects } from 'hyparquet';
import { eventIdsInFile } from './event-ids-in-file.ts';

const DAY_MS = 86_400_000;

/** Where and how one warehouse destination lands its files. */
export interface WarehouseTarget {
  siteId: string;
  /** R2 key prefix of the destination (no leading or trailing slash). */
  prefix: string;
  targetFileBytes: number;
  maxFileAgeMs: number;
}

export interface AppendResult {
  accepted: number;
  duplicates: number;
  landedFiles: number;
}

/** What a deletion removed from one destination. */
export interface PurgeResult {
  /** The person's event ids this writer held (buffered or landed). */
  found: number;
  /** Rows removed: buffered rows dropped plus rows taken out of landed files. */
  removed: number;
  bufferedRemoved: number;
  filesRewritten: number;
  /** Files that held only the person's rows: deleted, not rewritten. */
  filesDeleted: number;
  /** Files whose ids the ledger did not hold (landed before it kept them for the files' lifetime): their event-id column read from R2, and indexed again. */
  filesScanned: number;
}

/** 2: the ledger keeps ids for the files' lifetime (1 forgot them after 30 days). */
const LEDGER_VERSION = 2;

/** Ledger entries of purged events keep their id (a replay stays a duplicate) under this file name, and no row. */
const PURGED_FILE = '(purged)';

export interface MaintainResult {
  compactedPartitions: number;
  expiredPartitions: number;
}

/**
 * The single writer of one warehouse destination's files (one instance per site and destination).
 * Rows wait in its SQLite storage until a partition holds a file's worth or its oldest row reaches
 * the age bound; then one Parquet file is written to R2 under a name fixed before the write (so a
 * retry after a crash overwrites, never duplicates), committed here, and the partition manifest is
 * rewritten. Event ids are unique per partition across buffer and landed files: a redelivered or
 * replayed event is counted as a duplicate and never lands twice.
 */
export class WarehouseWriter extends DurableObject<Env> {
  /** One flush, compaction or expiry at a time: R2 calls open the input gate to other requests. */
  private chain: Promise<unknown> = Promise.resolve();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    const sql = ctx.storage.sql;
    sql.exec(`CREATE TABLE IF NOT EXISTS pending (partition TEXT NOT NULL, event_id TEXT NOT NULL, row TEXT NOT NULL, bytes INTEGER NOT NULL, at INTEGER NOT NULL, PRIMARY KEY (partition, event_id))`);
    sql.exec(`CREATE TABLE IF NOT EXISTS landed (partition TEXT NOT NULL, event_id TEXT NOT NULL, file TEXT NOT NULL, row TEXT, PRIMARY KEY (partition, event_id))`);
    sql.exec(`CREATE TABLE IF NOT EXISTS files (key TEXT PRIMARY KEY, partition TEXT NOT NULL, rows INTEGER NOT NULL, bytes INTEGER NOT NULL, created_at INTEGER NOT NULL)`);
    sql.exec(`CREATE TABLE IF NOT EXISTS partitions (partition TEXT PRIMARY KEY, seq INTEGER NOT NULL DEFAULT 0, manifest_dirty INTEGER NOT NULL DEFAULT 0)`);
    // Files replaced by a deletion's rewrite, committed away but maybe not yet deleted from R2 (they hold the person's rows).
    sql.exec(`CREATE TABLE IF NOT EXISTS doomed (key TEXT PRIMARY KEY)`);
    sql.exec(`CREATE TABLE IF NOT EXISTS settings (id INTEGER PRIMARY KEY CHECK (id = 1), target TEXT NOT NULL)`);
    // The ledger (event id → file) is kept for as long as the files exist, so deletions find every file.
    sql.exec(`CREATE INDEX IF NOT EXISTS landed_by_file ON landed (file)`);
    // Files written before that whose ids were forgotten: scanned and indexed again by the next deletion.
    sql.exec(`CREATE TABLE IF NOT EXISTS unindexed (key TEXT PRIMARY KEY)`);
    sql.exec(`CREATE TABLE IF NOT EXISTS ledger_version (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL)`);
  }

  /** Buffers rows (duplicates by partition and event id skipped) and lands every partition that now holds a file's worth. */
  async append(target: WarehouseTarget, rows: WarehouseRow[], now = Date.now()): Promise<AppendResult> {
    this.saveTarget(target);
    const sql = this.ctx.storage.sql;
    let accepted = 0;
    const touched = new Set<string>();
    for (const row of rows) {
      const partition = partitionOf(target.siteId, row);
      const known =
        sql.exec('SELECT 1 FROM pending WHERE partition = ? AND event_id = ? UNION ALL SELECT 1 FROM landed WHERE partition = ? AND event_id = ?', partition, row.event_id, partition, row.event_id).toArray().length > 0;
      if (known) continue;
      const json = JSON.stringify(row);
      sql.exec('INSERT INTO pending (partition, event_id, row, bytes, at) VALUES (?, ?, ?, ?, ?)', partition, row.event_id, json, json.length, now);
      touched.add(partition);
      accepted++;
    }
    let landedFiles = 0;
    for (const partition of touched) {
      if (this.pendingBytes(partition) * PARQUET_BYTES_PER_JSON_BYTE >= target.targetFileBytes) {
        landedFiles += await this.serially(() => this.flush(target, partition, now));
      }
    }
    await this.armAlarm(target, now);
    return { accepted, duplicates: rows.length - accepted, landedFiles };
  }

  /** Lands every buffered partition now (operators, tests, and the age bound via the alarm). */
  async flushAll(now = Date.now()): Promise<number> {
    const target = this.loadTarget();
    if (!target) return 0;
    let files = 0;
    for (const partition of this.pendingPartitions()) files += await this.serially(() => this.flush(target, partition, now));
    await this.rewriteDirtyManifests(target, now);
    return files;
  }

  /** Files, rows and bytes of one partition as committed (what its manifest lists). */
  async committedFiles(partition: string): Promise<ManifestFile[]> {
    return this.filesOf(partition);
  }

  /** Compacts partitions with two or more small files and deletes partitions past retention. Run by the scheduled handler. */
  async maintain(retentionDays: number, now = Date.now()): Promise<MaintainResult> {
    const target = this.loadTarget();
    if (!target) return { compactedPartitions: 0, expiredPartitions: 0 };
    const expiredPartitions = await this.serially(() => this.expire(target, retentionDays, now));
    let compactedPartitions = 0;
    const small = this.ctx.storage.sql
      .exec('SELECT partition FROM files WHERE bytes < ? GROUP BY partition HAVING COUNT(*) >= 2', target.targetFileBytes)
      .toArray();
    for (const { partition } of small) compactedPartitions += await this.serially(() => this.compact(target, partition as string, now));
    await this.rewriteDirtyManifests(target, now);
    await this.serially(() => this.deleteDoomed());
    return { compactedPartitions, expiredPartitions };
  }

  /**
   * Removes every row of these event ids: buffered rows are dropped; each landed file the ledger
   * (kept for as long as the files exist; files it does not fully index are scanned first) says holds one is rewritten without them under a new name (rows from the ledger when kept,
   * else read back from R2), committed, the manifest switched, then the old file deleted — the
   * same steps as compaction, so a reader of the manifest sees the old file or the new, never a
   * half-state. The ids stay in the ledger without their rows, so a replay still counts as a duplicate.
   */
  async purge(eventIds: readonly string[], now = Date.now()): Promise<PurgeResult> {
    const result: PurgeResult = { found: 0, removed: 0, bufferedRemoved: 0, filesRewritten: 0, filesDeleted: 0, filesScanned: 0 };
    if (!eventIds.length) return result;
    return this.serially(async () => {
      const sql = this.ctx.storage.sql;
      const ids = JSON.stringify(eventIds);
      const IN = 'event_id IN (SELECT value FROM json_each(?))';
      result.bufferedRemoved = sql.exec(`SELECT COUNT(*) AS n FROM pending WHERE ${IN}`, ids).one().n as number;
      sql.exec(`DELETE FROM pending WHERE ${IN}`, ids);
      result.found = result.bufferedRemoved;
      result.removed = result.bufferedRemoved;
      const target = this.loadTarget();
      // Files the ledger lost track of are read (their event-id column) and indexed first, so the lookup below finds every file.
      for (const file of this.unindexedFiles()) {
        await this.reindex(file);
        result.filesScanned++;
      }
      const affected = sql.exec(`SELECT file, partition, COUNT(*) AS n FROM landed WHERE ${IN} AND file != ? GROUP BY file, partition ORDER BY file`, ids, PURGED_FILE).toArray();
      for (const { file, partition, n } of affected) {
        result.found += n as number;
        if (!target) continue;
        const outcome = await this.rewriteWithout(target, file as string, partition as string, ids, now);
        result.removed += outcome.removed;
        if (outcome.rewritten) result.filesRewritten++;
        else result.filesDeleted++;
      }
      if (target) await this.armAlarm(target, now);
      return result;
    });
  }

  /** One file rewritten without the rows of `ids` (a JSON array), or deleted when none remain. */
  private async rewriteWithout(target: WarehouseTarget, file: string, partition: string, ids: string, now: number): Promise<{ removed: number; rewritten: boolean }> {
    const sql = this.ctx.storage.sql;
    const IN = 'event_id IN (SELECT value FROM json_each(?))';
    const unkept = sql.exec('SELECT COUNT(*) AS n FROM landed WHERE file = ? AND row IS NULL', file).one().n as number;
    const seq = this.nextSeq(partition);
    const key = `${target.prefix}/${partition}/part-${String(seq).padStart(6, '0')}-rewritten.parquet`;
    let bytes: ArrayBuffer | null = null;
    let rows = 0;
    let removed: number;
    if (unkept === 0) {
      removed = sql.exec(`SELECT COUNT(*) AS n FROM landed WHERE file = ? AND ${IN}`, file, ids).one().n as number;
      const left = sql.exec(`SELECT COUNT(*) AS n FROM landed WHERE file = ? AND NOT ${IN}`, file, ids).one().n as number;
      if (left > 0) ({ bytes, rows } = this.writeFile(`SELECT rowid, row FROM landed WHERE file = ? AND NOT ${IN}`, [file, ids]));
    } else {
      // A file landed as large: its rows are not kept here, so it is read back.
      const object = await this.env.WAREHOUSE.get(file);
      if (!object) throw new Error('warehouse file listed as committed is missing');
      const drop = new Set(JSON.parse(ids) as string[]);
      const all = (await parquetReadObjects({ file: await object.arrayBuffer() })) as Record<string, unknown>[];
      const keep = all.filter((r) => !drop.has(r.event_id as string)).map(fromParquet);
      removed = all.length - keep.length;
      if (keep.length) {
        const out = startParquet();
        for (let i = 0; i < keep.length; i += WAREHOUSE_ROW_GROUP_ROWS) out.addRowGroup(keep.slice(i, i + WAREHOUSE_ROW_GROUP_ROWS));
        bytes = out.finish();
        rows = keep.length;
      }
    }
    if (bytes) await this.env.WAREHOUSE.put(key, bytes, { customMetadata: { rows: String(rows), rewrittenFrom: file } });
    const stillSmall = bytes !== null && bytes.byteLength < target.targetFileBytes && unkept === 0;
    this.ctx.storage.transactionSync(() => {
      sql.exec(`UPDATE landed SET file = ?, row = NULL WHERE file = ? AND ${IN}`, PURGED_FILE, file, ids);
      if (bytes) sql.exec('UPDATE landed SET file = ?, row = CASE WHEN ? THEN row ELSE NULL END WHERE file = ?', key, stillSmall ? 1 : 0, file);
      sql.exec('DELETE FROM files WHERE key = ?', file);
      if (bytes) sql.exec('INSERT INTO files (key, partition, rows, bytes, created_at) VALUES (?, ?, ?, ?, ?)', key, partition, rows, bytes.byteLength, now);
      sql.exec('INSERT OR IGNORE INTO doomed (key) VALUES (?)', file);
      this.commitSeq(partition, seq);
    });
    await this.writeManifest(target, partition, now);
    await this.deleteDoomed().catch(() => undefined); // retried by the alarm the purge arms, and by maintenance
    return { removed, rewritten: bytes !== null };
  }

  /** Deletes the replaced files a deletion committed away (again after a failure: from the next purge, maintenance or alarm). */
  private async deleteDoomed(): Promise<void> {
    const keys = this.ctx.storage.sql.exec('SELECT key FROM doomed LIMIT 1000').toArray().map((r) => r.key as string);
    if (!keys.length) return;
    await this.env.WAREHOUSE.delete(keys);
    this.ctx.storage.sql.exec('DELETE FROM doomed WHERE key IN (SELECT value FROM json_each(?))', JSON.stringify(keys));
  }

  /** Lands partitions whose oldest buffered row reached the age bound, retries manifests that failed to write. */
  override async alarm(): Promise<void> {
    const target = this.loadTarget();
    if (!target) return;
    const now = Date.now();
    const due = this.ctx.storage.sql
      .exec('SELECT partition FROM pending GROUP BY partition HAVING MIN(at) <= ?', now - target.maxFileAgeMs)
      .toArray();
    for (const { partition } of due) await this.serially(() => this.flush(target, partition as string, now));
    await this.rewriteDirtyManifests(target, now);
    await this.serially(() => this.deleteDoomed());
    await this.armAlarm(target, now);
  }

  private async flush(target: WarehouseTarget, partition: string, now: number): Promise<number> {
    const sql = this.ctx.storage.sql;
    // Rows appended while this file is written get higher rowids and wait for the next file.
    const last = sql.exec('SELECT MAX(rowid) AS last FROM pending WHERE partition = ?', partition).one().last as number | null;
    if (last === null) return 0;
    const seq = this.nextSeq(partition);
    // Named before writing: a crash between the R2 write and the commit below rewrites the same object.
    const key = `${target.prefix}/${partition}/part-${String(seq).padStart(6, '0')}.parquet`;
    const { bytes, rows } = this.writeFile('SELECT rowid, row FROM pending WHERE partition = ? AND rowid <= ?', [partition, last]);
    await this.env.WAREHOUSE.put(key, bytes, { customMetadata: { rows: String(rows) } });
    const keepRows = bytes.byteLength < target.targetFileBytes ? 1 : 0;
    this.ctx.storage.transactionSync(() => {
      sql.exec(
        'INSERT INTO landed (partition, event_id, file, row) SELECT partition, event_id, ?, CASE WHEN ? THEN row END FROM pending WHERE partition = ? AND rowid <= ?',
        key, keepRows, partition, last,
      );
      sql.exec('DELETE FROM pending WHERE partition = ? AND rowid <= ?', partition, last);
      sql.exec('INSERT INTO files (key, partition, rows, bytes, created_at) VALUES (?, ?, ?, ?, ?)', key, partition, rows, bytes.byteLength, now);
      this.commitSeq(partition, seq);
    });
    await this.writeManifest(target, partition, now);
    return 1;
  }

  /**
   * Builds one Parquet file from the rows a query selects (`rowid, row`, filtered by `params`),
   * a row group per page: only one page of rows is in memory at a time, plus the file itself.
   */
  private writeFile(query: string, params: unknown[]): { bytes: ArrayBuffer; rows: number } {
    const file = startParquet();
    let rows = 0;
    let after = 0;
    for (;;) {
      const page = this.ctx.storage.sql.exec(`${query} AND rowid > ? ORDER BY rowid LIMIT ?`, ...params, after, WAREHOUSE_ROW_GROUP_ROWS).toArray();
      if (!page.length) break;
      file.addRowGroup(page.map((p) => JSON.parse(p.row as string) as WarehouseRow));
      rows += page.length;
      after = page[page.length - 1]!.rowid as number;
    }
    return { bytes: file.finish(), rows };
  }

  /** Merges a partition's small files into one (rows are kept here until then), commits, rewrites the manifest, then deletes the old files. */
  private async compact(target: WarehouseTarget, partition: string, now: number): Promise<number> {
    const sql = this.ctx.storage.sql;
    const small = sql
      .exec('SELECT key, bytes FROM files WHERE partition = ? AND bytes < ? ORDER BY created_at, key', partition, target.targetFileBytes)
      .toArray();
    const chosen: string[] = [];
    let total = 0;
    for (const f of small) {
      if (total + (f.bytes as number) > WAREHOUSE_MAX_COMPACTED_BYTES && chosen.length >= 2) break;
      chosen.push(f.key as string);
      total += f.bytes as number;
    }
    if (chosen.length < 2) return 0;
    const marks = chosen.map(() => '?').join(',');
    const unkept = sql.exec(`SELECT COUNT(*) AS n FROM landed WHERE partition = ? AND file IN (${marks}) AND row IS NULL`, partition, ...chosen).one().n as number;
    if (unkept > 0) return 0; // rows of a file landed as large are not kept: leave it as it is
    // A file whose ids are not all in the ledger (forgotten by an older writer) cannot be rebuilt from it.
    const indexed = sql.exec(`SELECT COUNT(*) AS n FROM landed WHERE file IN (${marks})`, ...chosen).one().n as number;
    const held = sql.exec(`SELECT COALESCE(SUM(rows), 0) AS n FROM files WHERE key IN (${marks})`, ...chosen).one().n as number;
    if (indexed !== held) return 0;
    const seq = this.nextSeq(partition);
    const key = `${target.prefix}/${partition}/part-${String(seq).padStart(6, '0')}-compacted.parquet`;
    const { bytes, rows } = this.writeFile(`SELECT rowid, row FROM landed WHERE partition = ? AND file IN (${marks})`, [partition, ...chosen]);
    await this.env.WAREHOUSE.put(key, bytes, { customMetadata: { rows: String(rows), compactedFrom: String(chosen.length) } });
    const stillSmall = bytes.byteLength < target.targetFileBytes;
    this.ctx.storage.transactionSync(() => {
      sql.exec(`UPDATE landed SET file = ?, row = CASE WHEN ? THEN row ELSE NULL END WHERE partition = ? AND file IN (${marks})`, key, stillSmall ? 1 : 0, partition, ...chosen);
      sql.exec(`DELETE FROM files WHERE key IN (${marks})`, ...chosen);
      sql.exec('INSERT INTO files (key, partition, rows, bytes, created_at) VALUES (?, ?, ?, ?, ?)', key, partition, rows, bytes.byteLength, now);
      this.commitSeq(partition, seq);
    });
    await this.writeManifest(target, partition, now);
    await this.env.WAREHOUSE.delete(chosen);
    return 1;
  }

  /** Deletes every object of partitions whose date is past retention, and their state here. */
  private async expire(target: WarehouseTarget, retentionDays: number, now: number): Promise<number> {
    const cutoff = new Date(now - retentionDays * DAY_MS).toISOString().slice(0, 10);
    const sql = this.ctx.storage.sql;
    const known = sql.exec('SELECT partition FROM partitions UNION SELECT partition FROM pending').toArray().map((r) => r.partition as string);
    const expired = known.filter((p) => (partitionDate(p) ?? '9999') < cutoff);
    for (const partition of expired) {
      let cursor: string | undefined;
      do {
        const page = await this.env.WAREHOUSE.list({ prefix: `${target.prefix}/${partition}/`, cursor });
        if (page.objects.length) await this.env.WAREHOUSE.delete(page.objects.map((o) => o.key));
        cursor = page.truncated ? page.cursor : undefined;
      } while (cursor);
      for (const table of ['pending', 'landed', 'files', 'partitions']) sql.exec(`DELETE FROM ${table} WHERE partition = ?`, partition);
    }
    return expired.length;
  }

  /**
   * Files the ledger does not fully index: fewer ids point at them than they hold rows. Writers
   * before the ledger kept ids for the files' lifetime forgot the ids of files older than 30 days
   * (the delivered ledger's window); nothing forgets them now, so this set only shrinks.
   */
  private unindexedFiles(): Array<{ key: string; partition: string; bytes: number }> {
    const sql = this.ctx.storage.sql;
    // Once per writer (one pass over the ledger): which committed files hold more rows than ids point at them.
    if (sql.exec('SELECT COUNT(*) AS n FROM ledger_version').one().n === 0) {
      this.ctx.storage.transactionSync(() => {
        sql.exec(
          'INSERT OR IGNORE INTO unindexed (key) SELECT f.key FROM files f LEFT JOIN (SELECT file, COUNT(*) AS n FROM landed GROUP BY file) l ON l.file = f.key WHERE f.rows > COALESCE(l.n, 0)',
        );
        sql.exec('INSERT INTO ledger_version (id, version) VALUES (1, ?)', LEDGER_VERSION);
      });
    }
    sql.exec('DELETE FROM unindexed WHERE key NOT IN (SELECT key FROM files)');
    return sql
      .exec('SELECT f.key, f.partition, f.bytes FROM files f JOIN unindexed u ON u.key = f.key ORDER BY f.key')
      .toArray()
      .map((r) => ({ key: r.key as string, partition: r.partition as string, bytes: r.bytes as number }));
  }

  /** Reads an unindexed file's event-id column from R2 (footer and that column only) and puts its ids back in the ledger. */
  private async reindex(file: { key: string; partition: string; bytes: number }): Promise<void> {
    const ids = await eventIdsInFile(this.env.WAREHOUSE, file.key, file.bytes);
    if (ids === null) {
      // Listed but gone from R2: nothing of anyone can be read from it.
      this.ctx.storage.sql.exec('DELETE FROM unindexed WHERE key = ?', file.key);
      return;
    }
    const sql = this.ctx.storage.sql;
    this.ctx.storage.transactionSync(() => {
      for (let i = 0; i < ids.length; i += 500) {
        sql.exec('INSERT OR IGNORE INTO landed (partition, event_id, file, row) SELECT ?, value, ?, NULL FROM json_each(?)', file.partition, file.key, JSON.stringify(ids.slice(i, i + 500)));
      }
      sql.exec('DELETE FROM unindexed WHERE key = ?', file.key);
    });
  }

  private async writeManifest(target: WarehouseTarget, partition: string, now: number): Promise<void> {
    const manifest = partitionManifest(partition, this.filesOf(partition), now);
    await this.env.WAREHOUSE.put(`${target.prefix}/${partition}/${MANIFEST_NAME}`, JSON.stringify(manifest, null, 1), {
      httpMetadata: { contentType: 'application/json' },
    });
    this.ctx.storage.sql.exec('UPDATE partitions SET manifest_dirty = 0 WHERE partition = ?', partition);
  }

  private async rewriteDirtyManifests(target: WarehouseTarget, now: number): Promise<void> {
    const dirty = this.ctx.storage.sql.exec('SELECT partition FROM partitions WHERE manifest_dirty = 1').toArray();
    for (const { partition } of dirty) await this.serially(() => this.writeManifest(target, partition as string, now));
  }

  private filesOf(partition: string): ManifestFile[] {
    return this.ctx.storage.sql
      .exec('SELECT key, rows, bytes, created_at FROM files WHERE partition = ? ORDER BY key', partition)
      .toArray()
      .map((f) => ({ key: f.key as string, rows: f.rows as number, bytes: f.bytes as number, createdAt: new Date(f.created_at as number).toISOString() }));
  }

  private nextSeq(partition: string): number {
    const row = this.ctx.storage.sql.exec('SELECT seq FROM partitions WHERE partition = ?', partition).toArray()[0];
    return ((row?.seq as number | undefined) ?? 0) + 1;
  }

  /** Inside the commit: the sequence moves on and the manifest is owed until written. */
  private commitSeq(partition: string, seq: number): void {
    this.ctx.storage.sql.exec(
      'INSERT INTO partitions (partition, seq, manifest_dirty) VALUES (?, ?, 1) ON CONFLICT (partition) DO UPDATE SET seq = excluded.seq, manifest_dirty = 1',
      partition,
      seq,
    );
  }

  private pendingBytes(partition: string): number {
    return this.ctx.storage.sql.exec('SELECT COALESCE(SUM(bytes), 0) AS n FROM pending WHERE partition = ?', partition).one().n as number;
  }

  private pendingPartitions(): string[] {
    return this.ctx.storage.sql.exec('SELECT DISTINCT partition FROM pending').toArray().map((r) => r.partition as string);
  }

  private async armAlarm(target: WarehouseTarget, now: number): Promise<void> {
    const oldest = this.ctx.storage.sql.exec('SELECT MIN(at) AS at FROM pending').one().at as number | null;
    const dirty = (this.ctx.storage.sql.exec('SELECT COUNT(*) AS n FROM partitions WHERE manifest_dirty = 1').one().n as number)
      + (this.ctx.storage.sql.exec('SELECT COUNT(*) AS n FROM doomed').one().n as number);
    if (oldest === null && dirty === 0) return;
    const at = oldest === null ? now + 60_000 : Math.max(now, oldest + target.maxFileAgeMs);
    const current = await this.ctx.storage.getAlarm();
    if (current === null || current > at) await this.ctx.storage.setAlarm(at);
  }

  private saveTarget(target: WarehouseTarget): void {
    this.ctx.storage.sql.exec('INSERT INTO settings (id, target) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET target = excluded.target', JSON.stringify(target));
  }

  private loadTarget(): WarehouseTarget | null {
    const row = this.ctx.storage.sql.exec('SELECT target FROM settings WHERE id = 1').toArray()[0];
    return row ? (JSON.parse(row.target as string) as WarehouseTarget) : null;
  }

  private serially<T>(work: () => Promise<T>): Promise<T> {
    const next = this.chain.then(work, work);
    this.chain = next.catch(() => undefined);
    return next;
  }
}

/** A row as hyparquet reads it back (timestamps as Date) in the writer's input form. */
function fromParquet(row: Record<string, unknown>): WarehouseRow {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) out[k] = v instanceof Date ? v.getTime() : typeof v === 'bigint' ? Number(v) : v;
  return out as unknown as WarehouseRow;
}
