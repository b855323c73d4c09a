import { SELF, env, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import type { SiteConfig } from '../src/site-config/site-config.ts';
import { toWarehouseRow } from '../src/destinations/warehouse/to-warehouse-row.ts';
import { warehouseTarget, warehouseWriterFor } from '../src/destinations/warehouse/warehouse-target.ts';
import type { WarehouseRow } from '../src/destinations/warehouse/warehouse-schema.ts';
import type { WarehouseWriter } from '../src/destinations/warehouse/warehouse-writer.ts';
import type { PartitionManifest } from '../src/destinations/warehouse/warehouse-manifest.ts';
import { FULL_CONSENT } from '../src/destinations/destination.ts';
import { ADMIN, FACTS, RAW, RAW_FORMS, messageFor, purchase, queued, runQueue, seed, sha256 } from './destinations.ts';

const DAY_MS = 86_400_000;

/** Runs code inside the writer instance (its methods take a `now`, so tests can age rows). */
function inWriter<R>(stub: DurableObjectStub, work: (writer: WarehouseWriter) => Promise<R>): Promise<R> {
  return runInDurableObject(stub, (instance) => work(instance as unknown as WarehouseWriter));
}

function warehouseSite(id: string, extra: Record<string, unknown> = {}): SiteConfig {
  return { id, allowedOrigins: ['https://shop.example'], destinations: { lake: { type: 'warehouse', ...extra } } } as SiteConfig;
}

async function admin(path: string, method = 'GET') {
  return SELF.fetch(`https://gw.example/v1/admin/sites/${path}`, { method, headers: ADMIN });
}

async function manifests(siteId: string): Promise<PartitionManifest[]> {
  const body = (await (await admin(`${siteId}/warehouse/lake/manifests`)).json()) as { manifests: PartitionManifest[] };
  return body.manifests;
}

async function readRows(key: string): Promise<WarehouseRow[]> {
  const object = await env.WAREHOUSE.get(key);
  const file = await object!.arrayBuffer();
  return (await parquetReadObjects({ file })) as WarehouseRow[];
}

async function landedRows(siteId: string): Promise<WarehouseRow[]> {
  const all: WarehouseRow[] = [];
  for (const manifest of await manifests(siteId)) for (const f of manifest.files) all.push(...(await readRows(f.key)));
  return all;
}

async function deliver(site: SiteConfig, events: ReturnType<typeof purchase>[]) {
  const messages = await Promise.all(events.map(async (e) => (await messageFor(site, 'lake', e))!));
  return { messages, result: await runQueue('sluice-delivery-warehouse', queued(messages)) };
}

describe('warehouse landing (R2 Parquet)', () => {
  it('lands each event once per partition as Parquet with a manifest, identities hashed, even when the queue redelivers', async () => {
    const site = warehouseSite('lake-once');
    await seed(site);
    const events = [purchase(), purchase(), purchase({ type: 'page', eventId: crypto.randomUUID() } as never)];
    const { messages, result } = await deliver(site, events);
    expect(result.explicitAcks).toHaveLength(3);
    // Redelivery of the same messages (new message ids, as after a lost ack), before and after the file lands.
    await runQueue('sluice-delivery-warehouse', queued(messages, 2));
    expect((await (await admin(`${site.id}/warehouse/lake/flush`, 'POST')).json())).toEqual({ files: 2 });
    await inWriter(warehouseWriterFor(env.WAREHOUSE_WRITER, site.id, 'lake'), async (writer: WarehouseWriter) => {
      const again = await writer.append(warehouseTarget(site.id, { type: 'warehouse' }), messages.map((m) => m.item as WarehouseRow));
      expect(again).toMatchObject({ accepted: 0, duplicates: 3 });
    });
    await admin(`${site.id}/warehouse/lake/flush`, 'POST');

    const found = await manifests(site.id);
    const today = new Date().toISOString().slice(0, 10);
    expect(found.map((m) => m.partition).sort()).toEqual([`site=${site.id}/date=${today}/event=PageView`, `site=${site.id}/date=${today}/event=Purchase`]);
    for (const m of found) {
      expect(m.files).toHaveLength(1);
      expect(m.files[0]!.key).toMatch(new RegExp(`^events/${m.partition}/part-000001\\.parquet$`));
    }
    const rows = await landedRows(site.id);
    expect(rows.map((r) => r.event_id).sort()).toEqual(events.map((e) => e.eventId).sort());
    const bought = rows.find((r) => r.event_id === events[0]!.eventId)!;
    expect(bought.email_hash).toBe(await sha256(RAW.email.trim().toLowerCase()));
    expect(bought.external_id_hash).toBe(await sha256('customer-z-42'));
    expect(bought.ip_truncated).toBe('203.0.113.0');
    expect(bought.event_name).toBe('Purchase');
    expect(bought.properties).toMatchObject({ value: 42.5, currency: 'eur' });
    // No raw personal data in any column.
    const text = JSON.stringify(rows);
    for (const raw of [...RAW_FORMS, '203.0.113.7']) expect(text).not.toContain(raw);
    // The file says which schema it follows.
    const file = await (await env.WAREHOUSE.get(found[0]!.files[0]!.key))!.arrayBuffer();
    expect(parquetMetadata(file).key_value_metadata).toContainEqual({ key: 'sluice.schema_version', value: '1.1' });
  });

  it('lands a file by size without waiting, and by age from the alarm', async () => {
    const site = warehouseSite('lake-size', { targetFileBytes: 64 * 1024, maxFileAgeSeconds: 10 });
    await seed(site);
    const stub = warehouseWriterFor(env.WAREHOUSE_WRITER, site.id, 'lake');
    const target = warehouseTarget(site.id, site.destinations.lake as never);
    const rows = await Promise.all(Array.from({ length: 3000 }, () => toWarehouseRow(purchase(), FACTS, FULL_CONSENT)));
    const landed = await inWriter(stub, (writer: WarehouseWriter) => writer.append(target, rows));
    expect(landed.landedFiles).toBeGreaterThanOrEqual(1);
    const sizes = (await manifests(site.id)).flatMap((m) => m.files.map((f) => f.bytes));
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(64 * 1024);

    const old = await Promise.all(Array.from({ length: 5 }, () => toWarehouseRow(purchase({ event: 'Lead' } as never), FACTS, FULL_CONSENT)));
    await inWriter(stub, (writer: WarehouseWriter) => writer.append(target, old, Date.now() - 60_000));
    // The alarm is due at once (the rows are past the age bound): it may already have run.
    await runDurableObjectAlarm(stub);
    await expect.poll(async () => (await manifests(site.id)).find((m) => m.partition.endsWith('event=Lead'))?.rows).toBe(5);
  });

  it('compacts small files into one, deletes the old ones, and still refuses their ids', async () => {
    const site = warehouseSite('lake-compact');
    await seed(site);
    const batches = [[purchase(), purchase()], [purchase()], [purchase(), purchase(), purchase()]];
    for (const batch of batches) {
      await deliver(site, batch);
      await admin(`${site.id}/warehouse/lake/flush`, 'POST');
    }
    const before = (await manifests(site.id))[0]!;
    expect(before.files).toHaveLength(3);
    expect(await (await admin(`${site.id}/warehouse/maintain`, 'POST')).json()).toEqual({ destinations: 1 });
    const after = (await manifests(site.id))[0]!;
    expect(after.files).toHaveLength(1);
    expect(after.files[0]!.key).toContain('-compacted.parquet');
    expect(after.rows).toBe(6);
    for (const old of before.files) expect(await env.WAREHOUSE.head(old.key)).toBeNull();
    expect((await landedRows(site.id)).map((r) => r.event_id).sort()).toEqual(batches.flat().map((e) => e.eventId).sort());
    const { messages } = await deliver(site, [batches[0]![0]!]);
    await inWriter(warehouseWriterFor(env.WAREHOUSE_WRITER, site.id, 'lake'), async (writer: WarehouseWriter) => {
      expect(await writer.append(warehouseTarget(site.id, { type: 'warehouse' }), [messages[0]!.item as WarehouseRow])).toMatchObject({ duplicates: 1 });
    });
  });

  it('a file left by a crash before its commit is overwritten under the same name, never listed twice', async () => {
    const site = warehouseSite('lake-crash');
    await seed(site);
    const events = [purchase(), purchase()];
    await deliver(site, events);
    // What a crash between the R2 write and the commit leaves: the object, not in any manifest.
    const partition = `site=${site.id}/date=${new Date().toISOString().slice(0, 10)}/event=Purchase`;
    await env.WAREHOUSE.put(`events/${partition}/part-000001.parquet`, 'half a story');
    await admin(`${site.id}/warehouse/lake/flush`, 'POST');
    const listed = await env.WAREHOUSE.list({ prefix: `events/${partition}/` });
    expect(listed.objects.map((o) => o.key).sort()).toEqual([`events/${partition}/_manifest.json`, `events/${partition}/part-000001.parquet`]);
    expect((await landedRows(site.id)).map((r) => r.event_id).sort()).toEqual(events.map((e) => e.eventId).sort());
  });

  it('deletes partitions past retention', async () => {
    const site = warehouseSite('lake-retention', { retention: 'P30D' });
    await seed(site);
    await deliver(site, [purchase({ timestamp: new Date(Date.now() - 40 * DAY_MS).toISOString() }), purchase()]);
    await admin(`${site.id}/warehouse/lake/flush`, 'POST');
    expect(await manifests(site.id)).toHaveLength(2);
    await admin(`${site.id}/warehouse/maintain`, 'POST');
    const left = await manifests(site.id);
    expect(left).toHaveLength(1);
    expect(left[0]!.partition).toContain(`date=${new Date().toISOString().slice(0, 10)}`);
    const listed = await env.WAREHOUSE.list({ prefix: `events/site=${site.id}/date=${new Date(Date.now() - 40 * DAY_MS).toISOString().slice(0, 10)}` });
    expect(listed.objects).toEqual([]);
  });

  it('serves landed files by their manifest key, also for event names that need percent-encoding', async () => {
    const site = warehouseSite('lake-names');
    await seed(site);
    await deliver(site, [purchase({ event: 'Signed Up / EU' } as never)]);
    await admin(`${site.id}/warehouse/lake/flush`, 'POST');
    const [manifest] = await manifests(site.id);
    expect(manifest!.partition).toBe(`site=${site.id}/date=${new Date().toISOString().slice(0, 10)}/event=Signed%20Up%20%2F%20EU`);
    const response = await admin(`${site.id}/warehouse/lake/objects/${manifest!.files[0]!.key}`);
    expect(response.status).toBe(200);
    const rows = await parquetReadObjects({ file: await response.arrayBuffer() });
    expect(rows.map((r) => r.event_name)).toEqual(['Signed Up / EU']);
  });

  it('serves only its own site’s objects and answers unknown destinations with 404', async () => {
    const site = warehouseSite('lake-admin');
    await seed(site);
    expect((await admin(`${site.id}/warehouse/nope/manifests`)).status).toBe(404);
    expect((await admin(`${site.id}/warehouse/lake/objects/events/site=other/x.parquet`)).status).toBe(404);
    expect((await SELF.fetch(`https://gw.example/v1/admin/sites/${site.id}/warehouse/lake/manifests`)).status).toBe(401);
  });
});
