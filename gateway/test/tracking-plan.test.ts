import { env, createExecutionContext } from 'cloudflare:test';
import { beforeEach, describe, expect, it } from 'vitest';
import worker from '../src/index.ts';
import type { Env } from '../src/env.ts';
import { queuedDelivery, type QueuedBody } from '../src/delivery/delivery-message.ts';
import { clearPlanCache } from '../src/plan/live-plan.ts';
import { clearObservationMemo } from '../src/plan/observe-types.ts';
import { clearPolicyCache } from '../src/consent/live-policy.ts';
import { sha256Hex } from '../src/identity/sha256.ts';
import { seedSite, site, trackEvent } from './fixtures.ts';
import { ADMIN, ingest } from './consent-fixtures.ts';

const BASE = `https://gw.example/v1/admin/sites/${site.id}/plan`;

async function call(url: string, init: RequestInit = {}) {
  const response = await worker.fetch(new Request(url, init), env as Env, createExecutionContext());
  const text = await response.text();
  let body: any = text;
  try {
    body = JSON.parse(text);
  } catch {}
  return { status: response.status, body, headers: response.headers };
}

const putPlan = (plan: unknown, headers: Record<string, string> = ADMIN) => call(BASE, { method: 'PUT', headers, body: typeof plan === 'string' ? plan : JSON.stringify(plan) });

function plan(overrides: Record<string, unknown> = {}, purchase: Record<string, unknown> = {}) {
  return {
    version: 1,
    mode: 'reject',
    unplannedEvents: 'allow',
    unplannedProperties: 'allow',
    events: {
      Purchase: {
        properties: {
          value: { type: 'number', required: true, min: 0, max: 100000, purposes: ['advertising'] },
          currency: { type: 'string', enum: ['eur', 'usd'] },
        },
        ...purchase,
      },
    },
    ...overrides,
  };
}

beforeEach(async () => {
  await seedSite();
  await env.CONFIG.delete(`plan:${site.id}`);
  await env.CONFIG.delete(`policy:${site.id}`);
  clearPlanCache();
  clearPolicyCache();
  clearObservationMemo();
  for (const table of ['plan_versions', 'quarantine', 'plan_violations', 'plan_observations', 'subject_events']) await env.DB.prepare(`DELETE FROM ${table}`).run();
});

describe('tracking plan admin API', () => {
  it('versions plans (JSON and YAML), keeps history, and rejects an invalid plan with its path', async () => {
    expect((await putPlan(plan())).body.version).toBe(1);
    const { stringify } = await import('yaml');
    const asYaml = await putPlan(stringify(plan({ mode: 'strip' })), { ...ADMIN, 'content-type': 'application/yaml' });
    expect(asYaml.body.version).toBe(2);
    const bad = await putPlan({ version: 1, events: { Purchase: { properties: { value: { type: 'numbr' } } } } });
    expect(bad.status).toBe(422);
    expect(bad.body.error.message).toContain('events.Purchase.properties.value.type');
    const badPattern = await putPlan({ version: 1, events: { Purchase: { properties: { sku: { type: 'string', pattern: '(' } } } } });
    expect(badPattern.body.issues[0].path).toBe('events.Purchase.properties.sku.pattern');
    expect((await call(BASE, { headers: ADMIN })).body).toMatchObject({ version: 2, plan: { mode: 'strip' } });
    expect((await call(`${BASE}/history`, { headers: ADMIN })).body.versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    expect((await call(`${BASE}/versions/1`, { headers: ADMIN })).body.plan.mode).toBe('reject');
  });

  it('simulates what the plan does to an event', async () => {
    await putPlan(plan());
    const sim = await call(`${BASE}/simulate`, { method: 'POST', headers: ADMIN, body: JSON.stringify({ event: trackEvent({ properties: { value: 'lots', currency: 'eur' } }) }) });
    expect(sim.status).toBe(200);
    expect(sim.body.action).toBe('reject');
    expect(sim.body.violations).toEqual([{ path: 'properties.value', rule: 'type', message: 'expected number, got string', action: 'reject' }]);
  });
});

describe('tracking plan at ingest', () => {
  it('reject: the event is listed in rejected[] with path and rule, the good one goes on, violations are counted', async () => {
    await putPlan(plan());
    const good = trackEvent();
    const bad = trackEvent({ properties: { value: -5, currency: 'eur' } });
    const { response, sent } = await ingest([good, bad]);
    const body = await response.json<any>();
    expect(response.status).toBe(200);
    expect(body.accepted).toBe(1);
    expect(body.rejected).toEqual([{ index: 1, code: 'plan_violation', message: 'properties.value: below the minimum 0 (rule min)' }]);
    expect(sent.map((m) => m.eventId)).toEqual([good.eventId]);
    const allBad = await ingest([trackEvent({ properties: { currency: 'eur' } })]);
    expect(allBad.response.status).toBe(422);
    expect((await allBad.response.json<any>()).rejected[0].message).toContain('properties.value: required property is missing (rule required)');
    const status = await call(`${BASE}/status`, { headers: ADMIN });
    expect(status.body.violations).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ event: 'Purchase', rule: 'properties.value:min', action: 'reject', count: 1 }),
        expect.objectContaining({ event: 'Purchase', rule: 'properties.value:required', action: 'reject', count: 1 }),
      ]),
    );
  });

  it('strip: the offending property is dropped, the rest delivered', async () => {
    await putPlan(plan({ mode: 'strip' }));
    const event = trackEvent({ properties: { value: 10, currency: 'gbp' } });
    const { response, sent } = await ingest([event]);
    expect((await response.json<any>()).accepted).toBe(1);
    expect(sent).toHaveLength(1);
    const item = JSON.stringify(sent[0]!.item);
    expect(item).not.toContain('gbp');
    expect(item).toContain('10');
  });

  it('quarantine: kept aside without raw personal data, visible, and replayed once the plan is fixed', async () => {
    await putPlan(plan({ mode: 'quarantine' }));
    const event = trackEvent({
      userId: 'user-Quarantine-7',
      user: { email: '  Jane.Doe@Example.COM ', phone: '+1 (650) 555-0100', firstName: 'Janeth', postalCode: '94035', birthdate: '1990-07-04', gender: 'f', externalId: 'Cust-Q-1' },
      properties: { value: 'n/a', currency: 'eur', note: 'call me at +49 30 1234567 or jane.q@example.com' },
      context: { page: { url: 'https://shop.example/checkout?email=jane.q%40example.com&gclid=G1' }, userAgent: 'Mozilla/5.0 test' },
    });
    const { response, sent } = await ingest([event]);
    const body = await response.json<any>();
    expect(sent).toHaveLength(0);
    expect(body.rejected[0]).toMatchObject({ index: 0, code: 'plan_violation' });
    expect(body.rejected[0].message).toMatch(/^quarantined by the tracking plan: properties\.value/);
    const listed = await call(`${BASE}/quarantine`, { headers: ADMIN });
    expect(listed.body.quarantine).toHaveLength(1);
    const row = listed.body.quarantine[0];
    expect(row.eventId).toBe(event.eventId);
    const dump = JSON.stringify(await env.DB.prepare('SELECT * FROM quarantine').all());
    for (const raw of ['Jane.Doe@Example.COM', 'jane.doe@example.com', '650) 555', '16505550100', 'user-Quarantine-7', 'anon-1', 'jane.q', '1234567']) expect(dump).not.toContain(raw);
    expect(row.event.user.email).toBe(await sha256Hex('jane.doe@example.com'));
    // Only the join keys, hashed by the neutral (warehouse) profile; low-entropy fields are not kept even hashed.
    expect(Object.keys(row.event.user).sort()).toEqual(['email', 'externalId', 'phone']);
    expect(row.event.user.phone).toBe(await sha256Hex('16505550100'));
    for (const raw of ['Janeth', 'janeth', await sha256Hex('janeth'), '94035', await sha256Hex('94035'), '19900704', await sha256Hex('19900704'), await sha256Hex('f'), 'Cust-Q-1']) expect(dump).not.toContain(raw);
    expect(row.event.context.page.url).toBe('https://shop.example/checkout?gclid=G1');
    // Replay under the same plan leaves it; under a fixed plan sends it.
    expect((await call(`${BASE}/quarantine/replay`, { method: 'POST', headers: ADMIN, body: '{}' })).body).toEqual({ replayed: 0, stillViolating: 1, duplicates: 0 });
    await putPlan(plan({ mode: 'quarantine' }, { properties: { value: { type: ['number', 'string'] }, currency: { type: 'string' } } }));
    const sentOnReplay: unknown[] = [];
    const queue = { send: async (b: unknown) => void sentOnReplay.push(b), sendBatch: async (ms: Iterable<{ body: unknown }>) => { for (const m of ms) sentOnReplay.push(queuedDelivery(m.body as QueuedBody)); } };
    const replay = await worker.fetch(new Request(`${BASE}/quarantine/replay`, { method: 'POST', headers: ADMIN, body: '{}' }), { ...(env as Env), DELIVERY_META: queue, DELIVERY: queue } as unknown as Env, createExecutionContext());
    expect(await replay.json()).toEqual({ replayed: 1, stillViolating: 0, duplicates: 0 });
    expect(sentOnReplay).toHaveLength(1);
    expect(JSON.stringify(sentOnReplay)).toContain(await sha256Hex('jane.doe@example.com'));
    expect((await call(`${BASE}/quarantine?open=true`, { headers: ADMIN })).body.quarantine).toHaveLength(0);
  });

  it('unplanned events: allow, strip to no properties, or reject, per site', async () => {
    const other = () => trackEvent({ event: 'Newsletter', properties: { value: 7, currency: 'usd' } });
    await putPlan(plan({ unplannedEvents: 'allow' }));
    let run = await ingest([other()]);
    expect(JSON.stringify(run.sent[0]?.item)).toContain('"value":7');
    clearPlanCache();
    await putPlan(plan({ unplannedEvents: 'strip' }));
    run = await ingest([other()]);
    expect(run.sent).toHaveLength(1);
    expect(JSON.stringify(run.sent[0]!.item)).not.toContain('"value":7');
    await putPlan(plan({ unplannedEvents: 'reject' }));
    run = await ingest([other()]);
    expect(run.response.status).toBe(422);
    expect((await run.response.json<any>()).rejected[0]).toEqual({ index: 0, code: 'plan_violation', message: 'event: event "Newsletter" is not in the tracking plan (rule unplanned-event)' });
  });

  it('unplanned properties of planned events are stripped by default setting', async () => {
    await putPlan(plan({ unplannedProperties: 'strip' }));
    const { sent } = await ingest([trackEvent({ properties: { value: 3, currency: 'eur', secretSauce: 'xyz' } })]);
    expect(JSON.stringify(sent[0]!.item)).not.toContain('xyz');
  });

  it('drafts a plan from what the site sent: names and types, never values', async () => {
    await ingest([
      trackEvent({ properties: { value: 12.5, currency: 'eur', coupon: 'SUMMER-SECRET' } }),
      trackEvent({ properties: { value: 3, currency: 'usd' } }),
      trackEvent({ event: 'Signup', properties: { tier: 'tier-gold-x', seats: 4 } }),
    ]);
    const draft = await call(`${BASE}/draft`, { headers: ADMIN });
    expect(draft.body.events.Purchase.properties.value.type).toBe('number');
    expect(draft.body.events.Purchase.properties.coupon.type).toBe('string');
    expect(draft.body.events.Signup.properties.seats.type).toBe('integer');
    const stored = JSON.stringify(await env.DB.prepare('SELECT * FROM plan_observations').all());
    for (const value of ['SUMMER-SECRET', 'eur', 'usd', 'tier-gold-x', '12.5']) expect(stored).not.toContain(value);
    const yaml = await call(`${BASE}/draft?format=yaml`, { headers: ADMIN });
    expect(yaml.headers.get('content-type')).toContain('yaml');
    // The draft is a valid plan.
    expect((await putPlan(draft.body)).status).toBe(200);
  });
});
