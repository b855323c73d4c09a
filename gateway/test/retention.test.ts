import { env, createExecutionContext, createScheduledController, waitOnExecutionContext } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import worker from '../src/index.ts';
import type { Env } from '../src/env.ts';
import { runRetention } from '../src/rights/run-retention.ts';
import { DATA_STORES } from '../src/rights/data-stores.ts';
import { clearPolicyCache } from '../src/consent/live-policy.ts';
import examplePolicy from '../../consent/policies/example-global.json';
import { seed, siteWithAll } from './destinations.ts';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 11, 1, 3, 17);
const ADMIN = { authorization: `Bearer ${env.ADMIN_TOKEN}`, 'content-type': 'application/json' };

/** One row per store at `age` days for `siteId`, each with its own event id. */
async function rowsAt(siteId: string, age: number, tag: string) {
  const t = NOW - age * DAY;
  const id = `${tag}-${age}-${siteId}`;
  await env.DB.batch([
    env.DB.prepare("INSERT INTO delivery_log (site_id, destination, event_id, outcome, created_at) VALUES (?, 'meta', ?, 'delivered', ?)").bind(siteId, id, t),
    env.DB.prepare("INSERT INTO dead_letters (site_id, destination, event_id, reason, payload, created_at) VALUES (?, 'meta', ?, 'r', '{}', ?)").bind(siteId, id, t),
    env.DB.prepare("INSERT INTO delivered_events (site_id, destination, event_id, delivered_at) VALUES (?, 'meta', ?, ?)").bind(siteId, id, t),
    env.DB.prepare("INSERT INTO pixel_event_ids (site_id, vendor, event_id, reported_at) VALUES (?, 'meta', ?, ?)").bind(siteId, id, t),
    env.DB.prepare("INSERT INTO consent_audit (site_id, event_id, destination, decision, rule, policy_version, jurisdiction, receipt_hash, created_at, expires_at) VALUES (?, ?, 'meta', 'allow', 'r', 'v', 'rest', 'h', ?, ?)").bind(siteId, id, t, t + 400 * DAY),
    env.DB.prepare("INSERT INTO quarantine (site_id, event_id, event_name, plan_version, violations, event, created_at) VALUES (?, ?, 'E', 1, '[]', '{}', ?)").bind(siteId, id, t),
    env.DB.prepare('INSERT INTO purged_events (site_id, event_id, purged_at) VALUES (?, ?, ?)').bind(siteId, id, t),
    env.DB.prepare("INSERT INTO subject_events (site_id, subject_key, event_ids, created_at) VALUES (?, 'k', '[]', ?)").bind(siteId, t),
  ]);
}

async function count(table: string, siteId: string): Promise<number> {
  return (await env.DB.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE site_id = ?`).bind(siteId).first<{ n: number }>())!.n;
}

beforeAll(async () => {
  await seed(siteWithAll('keep-default'));
  await seed(siteWithAll('short-lived'));
  // short-lived's policy shortens two kinds: delivery log 7 days, quarantine 1 day.
  const policy = structuredClone(examplePolicy) as Record<string, any>;
  policy.retention = { ...policy.retention, deliveryLog: 'P7D', quarantine: 'P1D' };
  const put = await worker.fetch(new Request('https://gw.example/v1/admin/sites/short-lived/policy', { method: 'PUT', headers: ADMIN, body: JSON.stringify(policy) }), env as Env, createExecutionContext());
  expect(put.status).toBe(200);
  clearPolicyCache();
  for (const siteId of ['keep-default', 'short-lived']) for (const age of [0.5, 2, 10, 20, 45, 100, 500]) await rowsAt(siteId, age, 'r');
});

describe('retention job', () => {
  it('deletes exactly what expired, per store and per site TTL, and records the counts', async () => {
    const run = await runRetention(env as Env, NOW);
    // Defaults: delivery log 90 d, dead letters / delivered / pixel ids / quarantine 30 d, consent audit and subject index 400 d, purge marks 14 d.
    expect(run.bySite['keep-default']).toEqual({
      'delivery log': 2, // 100, 500
      'dead letters': 3, // 45, 100, 500
      'delivered ids': 3,
      'pixel ids': 3,
      'consent audit': 1, // 500
      quarantine: 3,
      'queued items': 4, // 20, 45, 100, 500
      'subject index': 1,
    });
    // Policy: delivery log 7 d (10, 20, 45, 100, 500), quarantine 1 d (2, 10, 20, 45, 100, 500).
    expect(run.bySite['short-lived']).toMatchObject({ 'delivery log': 5, quarantine: 6, 'dead letters': 3 });
    expect(await count('delivery_log', 'short-lived')).toBe(2);
    expect(await count('quarantine', 'short-lived')).toBe(1);
    expect(await count('delivery_log', 'keep-default')).toBe(5);
    expect(await count('consent_audit', 'keep-default')).toBe(6);
    // Every store of the registry took part.
    for (const store of DATA_STORES) expect(run.deleted).toHaveProperty(store.name);
    // A second run finds nothing more.
    const again = await runRetention(env as Env, NOW);
    expect(again.bySite['keep-default']).toBeUndefined();
    const runs = await worker.fetch(new Request('https://gw.example/v1/admin/privacy/retention/runs', { headers: ADMIN }), env as Env, createExecutionContext());
    const body = await runs.json<{ runs: Array<{ ranAt: number; deleted: Record<string, number>; bySite: Record<string, unknown> }> }>();
    expect(body.runs[1]).toMatchObject({ ranAt: NOW, deleted: run.deleted });
  });

  it('runs from the scheduled handler', async () => {
    const ctx = createExecutionContext();
    await (worker as ExportedHandler<Env>).scheduled!(createScheduledController({ scheduledTime: Date.now(), cron: '17 3 * * *' }), env as Env, ctx);
    await waitOnExecutionContext(ctx);
    const latest = await env.DB.prepare('SELECT ran_at FROM retention_runs ORDER BY id DESC LIMIT 1').first<{ ran_at: number }>();
    expect(latest!.ran_at).toBeGreaterThan(NOW);
  });
});
