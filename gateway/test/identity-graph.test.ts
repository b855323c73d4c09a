import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Event } from '@sluice/protocol';
import { clearPolicyCache } from '../src/consent/live-policy.ts';
import { GOOGLE_PROFILE, META_PROFILE, normalizedValue } from '../src/identity/index.ts';
import { quarantinable } from '../src/plan/quarantine.ts';
import type { SiteConfig } from '../src/site-config/site-config.ts';
import { messageFor, queued, runQueue, scopedIds, seed, sha256 } from './destinations.ts';
import { adminCall, ingestRecorded } from './recorded-ingest.ts';

/**
 * The identity graph: identifiers seen together on one event are linked (keyed digests only), and a
 * deletion by one identifier covers the person's other identifiers — their anonymous browsing
 * included — without taking another person's events on a shared browser. And the fallback for rows
 * stored before the subject index existed: found by scanning for every stored form.
 */
const ADMIN = { authorization: `Bearer ${env.ADMIN_TOKEN}`, 'content-type': 'application/json' };
const ORIGIN = 'https://shop.example';
const GRANTED = { consentMode: { ad_storage: 'granted', ad_user_data: 'granted', ad_personalization: 'granted', analytics_storage: 'granted' } };

/** The person (two browsers, one shared with R), R (another account on the shared browser), and Q (unrelated). */
const P = { email: ' Graph.Person+x@Example.org ', userId: 'graph-user-P-31337', browser: 'anon-graph-P-own-2', shared: 'anon-graph-shared-1' };
const R = { userId: 'graph-user-R-4242', browser: 'anon-graph-R-own-3' };
const Q = { email: 'graph.q@example.org', browser: 'anon-graph-Q-9' };

function ev(fields: { anonymousId: string; userId?: string; email?: string }, name = 'Purchase') {
  return {
    type: 'track',
    event: name,
    eventId: crypto.randomUUID(),
    timestamp: new Date().toISOString(),
    anonymousId: fields.anonymousId,
    ...(fields.userId && { userId: fields.userId }),
    ...(fields.email && { user: { email: fields.email } }),
    properties: { value: 3 },
    consent: GRANTED,
    context: { page: { url: 'https://shop.example/p' }, userAgent: 'Mozilla/5.0 graph' },
  };
}

const ingest = (key: string, events: unknown[]) => ingestRecorded(key, events, { origin: ORIGIN });

const admin = adminCall;

/** Which of these event ids each event-keyed store of the site still holds. */
async function held(siteId: string, eventIds: string[]) {
  const out = new Set<string>();
  for (const table of ['delivery_log', 'delivered_events', 'consent_audit', 'dead_letters', 'quarantine']) {
    const { results } = await env.DB.prepare(`SELECT DISTINCT event_id FROM ${table} WHERE site_id = ? AND event_id IN (${eventIds.map(() => '?').join(',')})`).bind(siteId, ...eventIds).all<{ event_id: string }>();
    for (const r of results) out.add(r.event_id);
  }
  const index = await env.DB.prepare('SELECT event_ids FROM subject_events WHERE site_id = ?').bind(siteId).all<{ event_ids: string }>();
  for (const r of index.results) for (const id of JSON.parse(r.event_ids) as string[]) if (eventIds.includes(id)) out.add(id);
  return out;
}

async function dumpD1(except: string[] = []): Promise<string> {
  const { results } = await env.DB.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_cf%' ESCAPE '\\' AND name NOT LIKE 'sqlite%' AND name != 'd1_migrations'").all<{ name: string }>();
  let out = '';
  for (const { name } of results) if (!except.includes(name)) out += `${name}:${JSON.stringify((await env.DB.prepare(`SELECT * FROM ${name}`).all()).results)}\n`;
  return out;
}

/** Every form of an identifier a store could hold: clear, normalized, and the digests vendors and the warehouse receive. */
async function forms(value: string, kind: 'email' | 'id'): Promise<string[]> {
  if (kind === 'id') return [value, await sha256(value), await sha256(value.toLowerCase())];
  const meta = normalizedValue(META_PROFILE, 'email', value)!;
  const google = normalizedValue(GOOGLE_PROFILE, 'email', value)!;
  return [value.trim(), meta, google, await sha256(meta), await sha256(google)];
}

describe('identity graph', () => {
  const KEY = 'graph_write_key_0001';
  const SITE = 'graph-shop';
  let ids: ReturnType<typeof scopedIds>;
  beforeAll(async () => {
    ids = scopedIds();
    await seed({ id: SITE, allowedOrigins: [ORIGIN], destinations: { meta: { type: 'meta', pixelId: ids.pixelId, accessTokenSecret: 'META_TOKEN_TEST' }, ga4: { type: 'ga4', measurementId: ids.measurementId, apiSecretSecret: 'GA4_SECRET_TEST' } } } as SiteConfig, KEY);
    await env.CONFIG.delete(`policy:${SITE}`);
    clearPolicyCache();
  });

  it('a deletion by email alone takes the person’s anonymousId-only events on both browsers, leaves the other account on the shared browser, and lists the expansion', async () => {
    const identified = ev({ anonymousId: P.shared, userId: P.userId, email: P.email });
    const browseShared = [ev({ anonymousId: P.shared }, 'Viewed'), ev({ anonymousId: P.shared }, 'Viewed')];
    const ownDevice = ev({ anonymousId: P.browser, email: P.email });
    const browseOwn = ev({ anonymousId: P.browser }, 'Viewed');
    const byUserIdOnly = ev({ anonymousId: 'anon-graph-P-third-7', userId: P.userId }, 'Login');
    const rOnShared = ev({ anonymousId: P.shared, userId: R.userId });
    const rOwn = ev({ anonymousId: R.browser, userId: R.userId });
    const q = ev({ anonymousId: Q.browser, email: Q.email });
    const pEvents = [identified, ...browseShared, ownDevice, browseOwn, byUserIdOnly];
    const keep = [rOnShared, rOwn, q];
    const run = await ingest(KEY, [...pEvents, ...keep]);
    expect(run.body.accepted).toBe(pEvents.length + keep.length);
    await runQueue('sluice-delivery-meta', queued(run.sent.filter((m) => m.destinationKey === 'meta')));
    const all = [...pEvents, ...keep].map((e) => e.eventId);
    expect(await held(SITE, all)).toEqual(new Set(all));
    // The graph holds keyed digests only, never an identifier form.
    const links = JSON.stringify((await env.DB.prepare('SELECT * FROM subject_links WHERE site_id = ?').bind(SITE).all()).results);
    for (const form of [...(await forms(P.email, 'email')), ...(await forms(P.userId, 'id')), ...(await forms(P.shared, 'id'))]) expect(links).not.toContain(form);

    const deletion = await admin('/v1/admin/privacy/deletions', { method: 'POST', body: JSON.stringify({ siteId: SITE, email: P.email }) });
    expect(deletion.status).toBe(201);
    const linked = deletion.body.expansion.linked as Array<{ kind: string; via: string; depth: number; shared?: true; key: string }>;
    // email → userId and both browsers (depth 1); userId → the third browser (depth 2). R's userId is never reached (browsers are not followed).
    expect(linked.map((l) => `${l.kind}<-${l.via}@${l.depth}${l.shared ? ':shared' : ''}`).sort()).toEqual(
      ['anonymousId<-email@1', 'anonymousId<-email@1:shared', 'userId<-email@1', 'anonymousId<-userId@2'].sort(),
    );
    expect(linked.every((l) => /^[0-9a-f]{16}$/.test(l.key))).toBe(true);
    expect(deletion.body.expansion.truncated).toBe(false);
    // The record is served with its expansion.
    expect((await admin(`/v1/admin/privacy/deletions/${deletion.body.id}`)).body.expansion).toEqual(deletion.body.expansion);

    // Every event of the person is gone from every store, their anonymous-only ones included; R's and Q's stay.
    const after = await held(SITE, all);
    expect([...after].sort()).toEqual(keep.map((e) => e.eventId).sort());
    const dump = await dumpD1(['purged_events']);
    for (const id of pEvents.map((e) => e.eventId)) expect(dump).not.toContain(id);
    for (const form of [...(await forms(P.email, 'email')), ...(await forms(P.userId, 'id')), ...(await forms(P.browser, 'id'))]) expect(dump, form).not.toContain(form);

    // Later events: the person's own browser and userId are suppressed; the shared browser is not (R still uses it).
    const later = [ev({ anonymousId: P.browser }, 'Viewed'), ev({ anonymousId: 'anon-new-9', userId: P.userId }), ev({ anonymousId: P.shared, userId: R.userId }), ev({ anonymousId: Q.browser })];
    const second = await ingest(KEY, later);
    expect(new Set(second.sent.map((m) => m.eventId))).toEqual(new Set([later[2]!.eventId, later[3]!.eventId]));
  });

  it('is bounded: a walk that reaches the key limit stops and says so', async () => {
    const hub = 'graph-hub-user-1';
    // One userId seen with 70 browsers: more than the 64 keys a deletion follows.
    const events = Array.from({ length: 70 }, (_, i) => ev({ anonymousId: `anon-hub-${i}`, userId: hub }, 'Viewed'));
    for (let i = 0; i < events.length; i += 35) expect((await ingest(KEY, events.slice(i, i + 35))).status).toBe(200);
    const deletion = await admin('/v1/admin/privacy/deletions', { method: 'POST', body: JSON.stringify({ siteId: SITE, userId: hub }) });
    expect(deletion.status).toBe(201);
    expect(deletion.body.expansion.truncated).toBe(true);
    expect(deletion.body.expansion.linked).toHaveLength(63);
    // Every event carried the userId itself: all of them are gone whatever the expansion reached.
    expect((await held(SITE, events.map((e) => e.eventId))).size).toBe(0);
  });
});

describe('rows stored before the subject index existed', () => {
  const KEY = 'legacy_write_key_0001';
  const SITE = 'legacy-shop';
  let site: SiteConfig;
  beforeAll(async () => {
    const ids = scopedIds();
    site = { id: SITE, allowedOrigins: [ORIGIN], destinations: { meta: { type: 'meta', pixelId: ids.pixelId, accessTokenSecret: 'META_TOKEN_TEST' }, ga4: { type: 'ga4', measurementId: ids.measurementId, apiSecretSecret: 'GA4_SECRET_TEST' } } } as SiteConfig;
    await seed(site, KEY);
  });

  it('a deletion finds them by scanning dead letters and quarantine for every stored form, and purges their events everywhere', async () => {
    const person = { email: 'Legacy.Person@Example.com', anonymousId: 'anon-legacy-5150', userId: 'legacy-user-77' };
    const metaDead = ev({ anonymousId: person.anonymousId, email: person.email }) as unknown as Event;
    const ga4Dead = ev({ anonymousId: person.anonymousId }, 'Viewed') as unknown as Event;
    const quarantined = ev({ anonymousId: 'anon-legacy-other-device', userId: person.userId }) as unknown as Event;
    const other = ev({ anonymousId: 'anon-legacy-someone-else', email: 'someone.else@example.com' }) as unknown as Event;
    const t = Date.now() - 3_600_000;
    const dead = async (e: Event, key: 'meta' | 'ga4') => {
      const message = (await messageFor(site, key, e))!;
      return env.DB.prepare("INSERT INTO dead_letters (site_id, destination, event_id, reason, payload, created_at) VALUES (?, ?, ?, 'HTTP 400', ?, ?)").bind(SITE, key, e.eventId, JSON.stringify(message.item), t);
    };
    const logged = (e: Event) => [
      env.DB.prepare("INSERT INTO delivery_log (site_id, destination, event_id, outcome, created_at) VALUES (?, 'meta', ?, 'dead_lettered', ?)").bind(SITE, e.eventId, t),
      env.DB.prepare("INSERT INTO consent_audit (site_id, event_id, destination, decision, rule, policy_version, jurisdiction, receipt_hash, created_at, expires_at) VALUES (?, ?, 'meta', 'allow', 'r', 'v', 'rest', 'h', ?, ?)").bind(SITE, e.eventId, t, t + 86_400_000),
    ];
    // As a gateway before the subject index wrote them: no subject_events rows, no links.
    await env.DB.batch([
      await dead(metaDead, 'meta'),
      await dead(ga4Dead, 'ga4'),
      await dead(other, 'meta'),
      env.DB.prepare("INSERT INTO quarantine (site_id, event_id, event_name, plan_version, violations, event, created_at) VALUES (?, ?, 'Purchase', 1, '[]', ?, ?)").bind(SITE, quarantined.eventId, JSON.stringify({ event: await quarantinable(quarantined), facts: {} }), t),
      ...[metaDead, ga4Dead, quarantined, other].flatMap(logged),
    ]);
    const ids = [metaDead, ga4Dead, quarantined, other].map((e) => e.eventId);
    expect(await held(SITE, ids)).toEqual(new Set(ids));

    const deletion = await admin('/v1/admin/privacy/deletions', { method: 'POST', body: JSON.stringify({ siteId: SITE, ...person }) });
    expect(deletion.status).toBe(201);
    expect(deletion.body.unindexed).toEqual({ 'dead letters': 2, quarantine: 1 });
    expect(deletion.body.stores['dead letters']).toEqual({ found: 2, removed: 2 });
    expect(deletion.body.stores['delivery log'].removed).toBe(3);
    expect(deletion.body.stores['consent audit'].removed).toBe(3);
    expect(deletion.body.stores.quarantine).toEqual({ found: 1, removed: 1 });
    expect(await held(SITE, ids)).toEqual(new Set([other.eventId]));
    const dump = await dumpD1(['purged_events']);
    for (const form of [...(await forms(person.email, 'email')), ...(await forms(person.anonymousId, 'id')), ...(await forms(person.userId, 'id'))]) expect(dump, form).not.toContain(form);
    expect(dump).toContain(other.eventId);
  });
});
