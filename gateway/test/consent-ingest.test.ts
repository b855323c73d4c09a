import { env, createExecutionContext, createScheduledController, waitOnExecutionContext } from 'cloudflare:test';
import { beforeEach, describe, expect, it } from 'vitest';
import worker from '../src/index.ts';
import type { Env } from '../src/env.ts';
import gvl from '../../consent/fixtures/gvl-test.json';
import { makeTcString } from '../../consent/src/testing/make-tc-string.ts';
import { sha256Hex } from '../src/identity/sha256.ts';
import { trackEvent } from './fixtures.ts';
import { ADMIN, auditFor, gppString, ingest, putPolicy, seedConsentSite, testPolicy } from './consent-fixtures.ts';

const DE = { country: 'DE' };
const CA = { country: 'US', regionCode: 'CA' };
const BR = { country: 'BR' };
const fullTc = () => makeTcString({ purposeConsents: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], purposeLegitimateInterests: [2, 7, 8, 9, 10, 11], vendorConsents: [755], vendorLegitimateInterests: [755] });

beforeEach(async () => {
  await seedConsentSite();
  expect((await putPolicy(testPolicy())).status).toBe(200);
  await worker.fetch(new Request('https://gw.example/v1/admin/gvl', { method: 'PUT', headers: ADMIN, body: JSON.stringify(gvl) }), env as Env, createExecutionContext());
});

function destinationsOf(sent: Array<{ destinationKey: string }>) {
  return sent.map((m) => m.destinationKey).sort();
}

describe('ingest under a consent policy — EEA (opt-in, TCF)', () => {
  it('queues nothing and audits the denials when no consent signal came', async () => {
    const event = trackEvent();
    const { response, sent } = await ingest([event], { cf: DE });
    expect(response.status).toBe(200);
    expect(sent).toEqual([]);
    const audit = await auditFor(event.eventId as string);
    expect(audit.map((r) => [r.destination, r.decision, r.jurisdiction])).toEqual([['meta', 'deny', 'eea-uk'], ['meta_measurement', 'deny', 'eea-uk']]);
    expect(audit[0]!.rule).toContain('noSignal.then');
  });

  it('delivers to both pixels with a full TCF consent, each message carrying its receipt', async () => {
    const event = trackEvent({ consent: { tcString: fullTc() } });
    const { sent } = await ingest([event], { cf: DE });
    expect(destinationsOf(sent)).toEqual(['meta', 'meta_measurement']);
    const meta = sent.find((m) => m.destinationKey === 'meta')!;
    expect(meta.receipt).toMatchObject({ decision: 'allow', destination: 'meta', jurisdiction: { id: 'eea-uk', country: 'DE' } });
    const live = await (await worker.fetch(new Request('https://gw.example/v1/admin/sites/test-shop/policy', { headers: ADMIN }), env as Env, createExecutionContext())).json<{ policyVersion: string }>();
    expect(meta.receipt!.policyVersion).toBe(live.policyVersion);
  });

  it('applies field minimization before the adapter: IP /24, URL query stripped to click ids', async () => {
    const event = trackEvent({ consent: { tcString: fullTc() }, context: { page: { url: 'https://shop.example/checkout?email=jane%40example.com&fbclid=FB1' }, userAgent: 'UA' } });
    const request = await ingest([event], { cf: DE });
    const item = request.sent.find((m) => m.destinationKey === 'meta')!.item as { event_source_url: string; user_data: { client_ip_address?: string; em: string[] } };
    expect(item.event_source_url).toBe('https://shop.example/checkout?fbclid=FB1');
    expect(item.user_data.em).toEqual([await sha256Hex('jane.doe@example.com')]);
    expect(JSON.stringify(request.sent)).not.toMatch(/jane|555-?0100/i);
  });

  it('minimizes each destination by its own field rules within one batch (copies are shared only between destinations whose rules are alike)', async () => {
    const policy = testPolicy();
    policy.destinations.meta.fields = { 'user.email': { action: 'drop' } };
    expect((await putPolicy(policy)).status).toBe(200);
    const events = [trackEvent({ consent: { tcString: fullTc() } }), trackEvent({ consent: { tcString: fullTc() } })];
    const { sent } = await ingest(events, { cf: DE });
    const email = await sha256Hex('jane.doe@example.com');
    const emails = (key: string) => sent.filter((m) => m.destinationKey === key).map((m) => (m.item as { user_data: { em?: string[] } }).user_data.em);
    expect(emails('meta')).toEqual([undefined, undefined]);
    expect(emails('meta_measurement')).toEqual([[email], [email]]);
  });

  it('an IP the policy drops reaches no destination (the request IP is not restored after minimization)', async () => {
    const policy = testPolicy();
    policy.fields['context.ip'] = { action: 'drop' };
    expect((await putPolicy(policy)).status).toBe(200);
    const { sent } = await ingest([trackEvent({ consent: { tcString: fullTc() } })], { cf: DE, ip: '203.0.113.7' });
    expect(sent.length).toBeGreaterThan(0);
    expect(JSON.stringify(sent)).not.toContain('203.0.113');
  });

  it('gates each pixel on its own purposes: measurement consent only', async () => {
    const tc = makeTcString({ purposeConsents: [1, 7, 8, 9], purposeLegitimateInterests: [7, 8, 9] });
    const event = trackEvent({ consent: { tcString: tc } });
    const { sent } = await ingest([event], { cf: DE });
    expect(destinationsOf(sent)).toEqual(['meta_measurement']);
    const audit = await auditFor(event.eventId as string);
    expect(audit.find((r) => r.destination === 'meta')!.rule).toContain('tcf purpose 2 not consented');
  });

  it('treats a malformed or invalid TC string as no consent, with the reason in the audit trail', async () => {
    const garbage = trackEvent({ consent: { tcString: 'CPXxRf!!' } });
    const noDisclosed = trackEvent({ consent: { tcString: makeTcString({ purposeConsents: [1, 2, 3, 4, 7, 8, 9], segments: ['core'] }) } });
    const { response, sent } = await ingest([garbage, noDisclosed], { cf: DE });
    expect(response.status).toBe(200);
    expect(sent).toEqual([]);
    expect((await auditFor(garbage.eventId as string))[0]!.rule).toContain('not base64url');
    expect((await auditFor(noDisclosed.eventId as string))[0]!.rule).toContain('Disclosed Vendors segment missing');
  });
});

describe('ingest under a consent policy — US opt-out states (GPP + GPC)', () => {
  it('allows with no signal', async () => {
    const { sent } = await ingest([trackEvent()], { cf: CA });
    expect(destinationsOf(sent)).toEqual(['meta', 'meta_measurement']);
    expect(sent.every((m) => m.receipt!.decision === 'allow')).toBe(true);
  });

  it('reads Sec-GPC itself: Meta advertising goes limited (LDU), measurement stays full', async () => {
    const event = trackEvent();
    const { sent } = await ingest([event], { cf: CA, secGpc: true });
    const byKey = Object.fromEntries(sent.map((m) => [m.destinationKey, m.receipt!]));
    expect(byKey.meta).toMatchObject({ decision: 'limited', adUserData: 'denied', adPersonalization: 'denied', signals: { gpc: { on: true, sources: ['header'] } } });
    expect(byKey.meta!.rule).toContain('whenDenied.us-optout: limited');
    expect(byKey.meta_measurement!.decision).toBe('allow');
  });

  it('honours a GPP usnat SaleOptOut = 1 and ignores SaleOptOut = 2', async () => {
    const out = trackEvent({ consent: { gppString: gppString([['usnat', 'SaleOptOut', 1]]), gppSid: [7] } });
    const stay = trackEvent({ consent: { gppString: gppString([['usnat', 'SaleOptOut', 2]]), gppSid: [7] } });
    const { sent } = await ingest([out, stay], { cf: CA });
    const decision = (eventId: unknown) => sent.find((m) => m.eventId === eventId && m.destinationKey === 'meta')!.receipt!.decision;
    expect(decision(out.eventId)).toBe('limited');
    expect(decision(stay.eventId)).toBe('allow');
  });

  it('denies Meta outright under GPC when the policy says deny instead of limited', async () => {
    const policy = testPolicy();
    policy.destinations.meta.whenDenied = { 'us-optout': 'deny' };
    expect((await putPolicy(policy)).status).toBe(200);
    const { sent } = await ingest([trackEvent()], { cf: CA, secGpc: true });
    expect(destinationsOf(sent)).toEqual(['meta_measurement']);
  });
});

describe('ingest under a consent policy — rest of world and sites without a policy', () => {
  it('notice jurisdiction allows, but an explicit Consent Mode denial still denies', async () => {
    const allowed = trackEvent();
    const denied = trackEvent({ consent: { consentMode: { ad_storage: 'denied', analytics_storage: 'granted' } } });
    const { sent } = await ingest([allowed, denied], { cf: BR });
    expect(sent.filter((m) => m.eventId === allowed.eventId).map((m) => m.destinationKey).sort()).toEqual(['meta', 'meta_measurement']);
    expect(sent.filter((m) => m.eventId === denied.eventId).map((m) => m.destinationKey)).toEqual(['meta_measurement']);
  });

  it('stores audit rows with the policy retention; the daily scheduled job prunes expired ones and their receipts, keeping live ones', async () => {
    await env.DB.batch([
      env.DB.prepare("INSERT INTO consent_receipts (site_id, hash, receipt, created_at, expires_at) VALUES ('test-shop', 'old-hash', '{}', 1, 2)"),
      env.DB.prepare("INSERT INTO consent_audit (site_id, event_id, destination, decision, rule, policy_version, jurisdiction, receipt_hash, created_at, expires_at) VALUES ('test-shop', 'old-event', 'meta', 'allow', 'r', 'v', 'rest', 'old-hash', 1, 2)"),
    ]);
    const event = trackEvent();
    await ingest([event], { cf: BR });
    // Ingest itself no longer prunes (two statements less per request): the old row waits for the job.
    expect(await auditFor('old-event')).toHaveLength(1);
    const ctx = createExecutionContext();
    await (worker as ExportedHandler<Env>).scheduled!(createScheduledController({ scheduledTime: Date.now(), cron: '17 3 * * *' }), env as Env, ctx);
    await waitOnExecutionContext(ctx);
    expect(await auditFor('old-event')).toEqual([]);
    // Receipts past retention go too (receipts are kept once per batch and signals, referenced by hash).
    expect(await env.DB.prepare("SELECT 1 FROM consent_receipts WHERE hash = 'old-hash'").first()).toBeNull();
    expect((await auditFor(event.eventId as string)).length).toBeGreaterThan(0);
    const live = await env.DB.prepare('SELECT COUNT(*) AS n FROM consent_audit a JOIN consent_receipts r ON r.site_id = a.site_id AND r.hash = a.receipt_hash WHERE a.event_id = ?').bind(event.eventId).first<{ n: number }>();
    expect(live!.n).toBe((await auditFor(event.eventId as string)).length);
    const row = await env.DB.prepare('SELECT created_at, expires_at FROM consent_audit WHERE event_id = ? LIMIT 1').bind(event.eventId).first<{ created_at: number; expires_at: number }>();
    expect(row!.expires_at - row!.created_at).toBe(400 * 24 * 3600 * 1000); // retention.auditLog: P400D
  });

  it('stamps each queued delivery with the policy’s delivery-queue retention', async () => {
    const before = Date.now();
    const { sent } = await ingest([trackEvent()], { cf: BR });
    expect(sent.length).toBeGreaterThan(0);
    for (const message of sent) {
      expect(message.expiresAt! - before).toBeGreaterThanOrEqual(7 * 24 * 3600 * 1000); // retention.deliveryQueue: P7D
      expect(message.expiresAt! - Date.now()).toBeLessThanOrEqual(7 * 24 * 3600 * 1000);
    }
  });

  it('never answers 500 to garbage consent signals under a policy', async () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~';
    const bytes = new Uint8Array(64 * 40);
    crypto.getRandomValues(bytes);
    const events = Array.from({ length: 40 }, (_, i) => {
      const junk = [...bytes.slice(i * 64, i * 64 + 20 + (bytes[i * 64]! % 44))].map((b) => alphabet[b % alphabet.length]).join('');
      return trackEvent({ consent: i % 2 ? { tcString: `C${junk}` } : { gppString: `DB${junk}`, gppSid: [7] } });
    });
    for (const cf of [DE, CA, BR]) {
      const { response } = await ingest(events.map((e) => ({ ...e, eventId: crypto.randomUUID() })), { cf });
      expect(response.status).toBe(200);
    }
  });

  it('a site without a policy runs under the built-in default: in the EEA nothing goes without a grant, elsewhere it goes minimized, audited', async () => {
    await env.CONFIG.delete('policy:test-shop');
    await seedConsentSite();
    const inEea = trackEvent();
    const eea = await ingest([inEea], { cf: DE });
    expect(eea.sent).toEqual([]);
    expect((await auditFor(inEea.eventId as string)).map((r) => [r.destination, r.decision, r.jurisdiction])).toEqual([
      ['meta', 'deny', 'eea-uk-ch'],
      ['meta_measurement', 'deny', 'eea-uk-ch'],
    ]);
    const granted = trackEvent({ consent: { consentMode: { ad_storage: 'granted', ad_user_data: 'granted', ad_personalization: 'granted', analytics_storage: 'granted' } } });
    expect(destinationsOf((await ingest([granted], { cf: DE })).sent)).toEqual(['meta', 'meta_measurement']);
    const elsewhere = trackEvent();
    const rest = await ingest([elsewhere], { cf: { country: 'BR' } });
    expect(destinationsOf(rest.sent)).toEqual(['meta', 'meta_measurement']);
    expect(rest.sent.every((m) => m.receipt?.policyVersion && m.receipt.jurisdiction.id === 'elsewhere')).toBe(true);
    const gpc = await ingest([trackEvent()], { cf: { country: 'US', regionCode: 'CA' }, secGpc: true });
    expect(gpc.sent).toEqual([]);
  });
});
