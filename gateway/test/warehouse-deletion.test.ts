import { SELF, env, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { parquetReadObjects } from 'hyparquet';
import type { SiteConfig } from '../src/site-config/site-config.ts';
import { warehouseTarget, warehouseWriterFor } from '../src/destinations/warehouse/warehouse-target.ts';
import type { WarehouseRow } from '../src/destinations/warehouse/warehouse-schema.ts';
import type { WarehouseWriter } from '../src/destinations/warehouse/warehouse-writer.ts';
import type { PartitionManifest } from '../src/destinations/warehouse/warehouse-manifest.ts';
import { ADMIN, messageFor, purchase, seed, sha256 } from './destinations.ts';

/**
 * Deletions reach landed files of any age within retention: the writer's event-id → file ledger is
 * kept for as long as the files exist (it used to forget ids after 30 days), and files whose ids an
 * older writer already forgot are found by reading their event-id column back from R2.
 */

const DAY_MS = 86_400_000;
const P = { userId: 'person-p', user: { email: 'p.person@example.org' } };
const Q = { userId: 'person-q', user: { email: 'q.person@example.org' } };

function inWriter<R>(site: SiteConfig, work: (writer: WarehouseWriter, sql: SqlStorage) => Promise<R> | R): Promise<R> {
  return runInDurableObject(warehouseWriterFor(env.WAREHOUSE_WRITER, site.id, 'lake'), (instance, state) => work(instance as unknown as WarehouseWriter, state.storage.sql));
}

async function manifests(siteId: string): Promise<PartitionManifest[]> {
  const response = await SELF.fetch(`https://gw.example/v1/admin/sites/${siteId}/warehouse/lake/manifests`, { headers: ADMIN });
  return ((await response.json()) as { manifests: PartitionManifest[] }).manifests;
}

/** Every row of every file the manifests list, read back from R2; and every object under the site's prefix. */
async function readBack(siteId: string) {
  const listed = await manifests(siteId);
  const rows: WarehouseRow[] = [];
  for (const m of listed) for (const f of m.files) rows.push(...((await parquetReadObjects({ file: await (await env.WAREHOUSE.get(f.key))!.arrayBuffer() })) as WarehouseRow[]));
  const objects = (await env.WAREHOUSE.list({ prefix: `events/site=${siteId}/` })).objects.map((o) => o.key).filter((k) => k.endsWith('.parquet'));
  return { manifests: listed, rows, objects };
}

/**
 * Lands events of 200 days ago as large files (the smallest target: the writer keeps no rows of
 * them, so only the ledger and the Parquet in R2 know what they hold).
 */
async function landOld(id: string) {
  const site = { id, allowedOrigins: ['https://shop.example'], destinations: { lake: { type: 'warehouse', targetFileBytes: 64 * 1024 } } } as unknown as SiteConfig;
  await seed(site);
  const at = new Date(Date.now() - 200 * DAY_MS).toISOString();
  const events = [P, Q, P, Q, Q].map((who) => purchase({ ...who, timestamp: at } as never));
  const rows = await Promise.all(events.map(async (e) => (await messageFor(site, 'lake', e))!.item as WarehouseRow));
  const target = warehouseTarget(site.id, site.destinations.lake as never);
  // Two files in the old partition, then landed as "large": no rows kept in the writer.
  await inWriter(site, async (writer, sql) => {
    await writer.append(target, rows.slice(0, 3));
    await writer.flushAll();
    await writer.append(target, rows.slice(3));
    await writer.flushAll();
    sql.exec('UPDATE landed SET row = NULL');
  });
  const pIds = events.filter((e) => e.userId === P.userId).map((e) => e.eventId);
  const qIds = events.filter((e) => e.userId === Q.userId).map((e) => e.eventId);
  return { site, target, pIds, qIds, pEmail: await sha256(P.user.email), qEmail: await sha256(Q.user.email) };
}

describe('warehouse deletions reach files older than the delivered ledger’s 30 days', () => {
  it('keeps the event-id → file ledger through maintenance for as long as the partition lives, and a deletion rewrites the old files', async () => {
    const { site, pIds, qIds, pEmail, qEmail } = await landOld('lake-old-ledger');
    const before = await readBack(site.id);
    expect(before.rows.map((r) => r.event_id).sort()).toEqual([...pIds, ...qIds].sort());
    expect(before.manifests[0]!.partition).toContain(`date=${new Date(Date.now() - 200 * DAY_MS).toISOString().slice(0, 10)}`);

    // The scheduled maintenance used to forget these ids (partition date past 30 days); it must keep them now (retention is P400D).
    expect((await SELF.fetch(`https://gw.example/v1/admin/sites/${site.id}/warehouse/maintain`, { method: 'POST', headers: ADMIN })).status).toBe(200);
    const ledger = await inWriter(site, (_w, sql) => sql.exec('SELECT COUNT(*) AS n FROM landed').one().n);
    expect(ledger).toBe(5);

    const result = await inWriter(site, (writer) => writer.purge(pIds));
    expect(result).toMatchObject({ found: 2, removed: 2, filesScanned: 0 });
    expect(result.filesRewritten + result.filesDeleted).toBe(1); // only the first file holds P’s rows

    const after = await readBack(site.id);
    expect(after.rows.map((r) => r.event_id).sort()).toEqual([...qIds].sort());
    expect(after.rows.some((r) => r.email_hash === pEmail)).toBe(false);
    expect(after.rows.filter((r) => r.email_hash === qEmail)).toHaveLength(3);
    // Manifest and bucket agree: the replaced files are gone, the manifest lists only the rewrites.
    expect(after.manifests[0]!.rows).toBe(3);
    expect(after.objects.sort()).toEqual(after.manifests.flatMap((m) => m.files.map((f) => f.key)).sort());
    expect(after.objects.filter((k) => before.objects.includes(k))).toHaveLength(1); // Q’s own file, untouched
  });

  it('finds files whose ids an older writer forgot by reading their event-id column from R2, indexes them again, and rewrites them', async () => {
    const { site, pIds, qIds, pEmail } = await landOld('lake-forgotten');
    // What a writer of the previous version left after 30 days: no ledger entries for large files' rows.
    await inWriter(site, (_w, sql) => {
      sql.exec('DELETE FROM landed WHERE row IS NULL');
      sql.exec('DELETE FROM ledger_version');
      sql.exec('DELETE FROM unindexed');
    });
    const before = await readBack(site.id);
    expect(before.rows.filter((r) => r.email_hash === pEmail)).toHaveLength(2);

    const result = await inWriter(site, (writer) => writer.purge(pIds));
    expect(result).toMatchObject({ found: 2, removed: 2, filesScanned: 2 });
    const after = await readBack(site.id);
    expect(after.rows.map((r) => r.event_id).sort()).toEqual([...qIds].sort());
    expect(after.rows.some((r) => r.email_hash === pEmail)).toBe(false);
    expect(after.objects.sort()).toEqual(after.manifests.flatMap((m) => m.files.map((f) => f.key)).sort());

    // The ledger is whole again: the next deletion needs no scan, and the purged ids stay duplicates.
    const again = await inWriter(site, (writer) => writer.purge([qIds[0]!]));
    expect(again).toMatchObject({ found: 1, removed: 1, filesScanned: 0 });
    const replay = await inWriter(site, async (writer) => writer.append(warehouseTarget(site.id, site.destinations.lake as never), before.rows.filter((r) => r.event_id === pIds[0])));
    expect(replay).toMatchObject({ accepted: 0, duplicates: 1 });
  });

  it('compaction leaves alone a small file whose ids are not all in the ledger (it cannot be rebuilt from it)', async () => {
    const site = { id: 'lake-compact-guard', allowedOrigins: ['https://shop.example'], destinations: { lake: { type: 'warehouse' } } } as unknown as SiteConfig;
    await seed(site);
    const target = warehouseTarget(site.id, site.destinations.lake as never);
    const rows = await Promise.all([P, Q, P].map(async (who) => (await messageFor(site, 'lake', purchase(who as never)))!.item as WarehouseRow));
    await inWriter(site, async (writer, sql) => {
      await writer.append(target, rows.slice(0, 2));
      await writer.flushAll();
      await writer.append(target, rows.slice(2));
      await writer.flushAll();
      // An older writer forgot the first file's ids (its rows were not kept).
      const first = sql.exec('SELECT key FROM files ORDER BY key LIMIT 1').one().key as string;
      sql.exec('DELETE FROM landed WHERE file = ?', first);
      await writer.maintain(400);
    });
    const after = await readBack(site.id);
    expect(after.rows.map((r) => r.event_id).sort()).toEqual(rows.map((r) => r.event_id).sort());
  });
});
