import { env, createExecutionContext, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import worker from '../src/index.ts';
import type { Env } from '../src/env.ts';
import { ledgerFor } from '../src/dedup/claim-event-ids.ts';
import { subjectKey } from '../src/rights/subject-key.ts';
import { ADMIN, purchase, seed, siteWithAll } from './destinations.ts';
import { ingestRecorded } from './recorded-ingest.ts';

/**
 * Issue 14: the suppression list (rights/) is checked in ingest's one ledger call (the site's
 * EventIdLedger Durable Object), not by a D1 read per request. Strongly consistent per site: a
 * deletion is effective for the very next event, whatever isolate takes it; rows already in D1
 * (written before the ledger held the list, or before a storage reset) are loaded on first use.
 */

const ORIGIN = 'https://shop.example';

async function ingest(key: string, events: unknown[]) {
  const { body, sent } = await ingestRecorded(key, events, { origin: ORIGIN, cf: null });
  return { body: body as { accepted: number; duplicates: number }, sent: new Set(sent.map((m) => m.eventId)) };
}

const someone = (email: string) => purchase({ anonymousId: `anon-${email}`, userId: undefined, user: { email } } as never);

describe('suppression list in the event-id ledger', () => {
  it('drops the next event of a person deleted a moment ago, keeps everyone else (no D1 read per request: batch-messages.test.ts)', async () => {
    const site = siteWithAll('supp-ledger-shop');
    await seed(site, 'supp_ledger_key');
    // The ledger has loaded the (empty) list before the deletion: the deletion must reach it.
    const first = await ingest('supp_ledger_key', [someone('gone@example.com'), someone('stays@example.com')]);
    expect(first.body).toMatchObject({ accepted: 2 });

    const deletion = await worker.fetch(
      new Request('https://gw.example/v1/admin/privacy/deletions', { method: 'POST', headers: { ...ADMIN, 'content-type': 'application/json' }, body: JSON.stringify({ siteId: site.id, email: 'Gone@Example.com' }) }),
      env as Env,
      createExecutionContext(),
    );
    expect(deletion.status).toBe(201);

    const gone = someone('gone@example.com');
    const stays = someone('stays@example.com');
    const after = await ingest('supp_ledger_key', [gone, stays]);
    // The response does not single the person out: the dropped event counts as a duplicate.
    expect(after.body).toMatchObject({ accepted: 1, duplicates: 1 });
    expect(after.sent.has(gone.eventId)).toBe(false);
    expect(after.sent.has(stays.eventId)).toBe(true);
    // The ledger holds the key itself (the copy ingest reads), as D1 does.
    const key = (await subjectKey('email', 'gone@example.com'))!;
    const held = await runInDurableObject(ledgerFor(env as Env, site.id), (_i, state) => state.storage.sql.exec('SELECT key FROM suppressed').toArray().map((r) => r.key));
    expect(held).toContain(key);
    const d1 = await env.DB.prepare('SELECT subject_key FROM suppressions WHERE site_id = ?').bind(site.id).all<{ subject_key: string }>();
    expect(d1.results.map((r) => r.subject_key)).toContain(key);
  });

  it('loads suppressions already in D1 on first use, and again after the ledger storage is reset', async () => {
    const site = siteWithAll('supp-legacy-shop');
    await seed(site, 'supp_legacy_key');
    const key = (await subjectKey('email', 'legacy@example.com'))!;
    await env.DB.prepare('INSERT INTO suppressions (site_id, subject_key, deletion_id, created_at) VALUES (?, ?, ?, ?)').bind(site.id, key, 'legacy-deletion', Date.now()).run();

    const legacy = someone('legacy@example.com');
    const other = someone('other@example.com');
    const first = await ingest('supp_legacy_key', [legacy, other]);
    expect(first.body).toMatchObject({ accepted: 1, duplicates: 1 });
    expect(first.sent.has(legacy.eventId)).toBe(false);

    // A reset wipes the ledger's storage (ids and its copy of the list): the copy comes back from D1.
    await runInDurableObject(ledgerFor(env as Env, site.id), async (_i, state) => void (await state.storage.deleteAll()));
    await runInDurableObject(ledgerFor(env as Env, site.id), (_i, state) => state.abort('reset')).catch(() => undefined);
    const again = someone('legacy@example.com');
    const second = await ingest('supp_legacy_key', [again, someone('third@example.com')]);
    expect(second.body).toMatchObject({ accepted: 1, duplicates: 1 });
    expect(second.sent.has(again.eventId)).toBe(false);
  });
});
