/**
 * Phone numbers through ingest: the default region order (address country → site
 * `defaultCountry` → request country while the policy lets the IP through), and numbers that
 * cannot be sent counted per destination as `invalid_phone` without their value.
 */
import { env, createExecutionContext } from 'cloudflare:test';
import { beforeEach, describe, expect, it } from 'vitest';
import worker from '../src/index.ts';
import type { Env } from '../src/env.ts';
import { clearPolicyCache } from '../src/consent/live-policy.ts';
import { clearGvlCache } from '../src/consent/live-gvl.ts';
import { sha256Hex } from '../src/identity/sha256.ts';
import { createHashMemo, sha256HexSync } from '../src/identity/index.ts';
import { enqueueDeliveries } from '../src/ingest/enqueue-deliveries.ts';
import type { DeliveryBatchMessage } from '../src/delivery/delivery-message.ts';
import { SiteConfig } from '../src/site-config/site-config.ts';
import { ADMIN, ingest as ingestBatch, putPolicy, recordingQueue, testPolicy } from './consent-fixtures.ts';
import { ORIGIN, WRITE_KEY, seedSite, site, trackEvent } from './fixtures.ts';
import { makeTcString } from '../../consent/src/testing/make-tc-string.ts';

const SITE: SiteConfig = {
  ...site,
  id: 'phone-shop',
  destinations: {
    meta: { type: 'meta', pixelId: '1234567890', accessTokenSecret: 'META_TOKEN_TEST' },
    tiktok: { type: 'tiktok', pixelCode: 'TTPHONE1234567', accessTokenSecret: 'TIKTOK_TOKEN_TEST' },
  },
};

interface Sent {
  destinationKey: string;
  eventId: string;
  item: { user_data?: { ph?: string[] }; user?: { phone?: string } };
}

/** The shared fixture's ingest, with a client IP unless `ip: false` (the request country is only used while the IP may reach a destination). */
async function ingest(events: unknown[], options: { cf?: Record<string, string>; ip?: boolean } = {}) {
  const { response, sent } = await ingestBatch(events, { ...(options.cf && { cf: options.cf }), ...(options.ip !== false && { ip: '203.0.113.50' }) });
  expect(response.status).toBe(200);
  return sent as unknown as Sent[];
}

/** What Meta and TikTok got as the phone hash for one event. */
function phones(sent: Sent[], eventId: string) {
  const of = (key: string) => sent.find((m) => m.destinationKey === key && m.eventId === eventId)?.item;
  return { meta: of('meta')?.user_data?.ph?.[0], tiktok: of('tiktok')?.user?.phone };
}

async function status(siteId: string) {
  const response = await worker.fetch(new Request(`https://gw.example/v1/admin/sites/${siteId}/destinations/status`, { headers: ADMIN }), env as Env, createExecutionContext());
  expect(response.status).toBe(200);
  return (await response.json()) as { destinations: Record<string, { invalidPhone: number }> };
}

function invalidPhoneCounts(body: Awaited<ReturnType<typeof status>>) {
  return Object.fromEntries(Object.entries(body.destinations).map(([key, s]) => [key, s.invalidPhone]));
}

async function invalidRows(eventId: string) {
  const { results } = await env.DB.prepare("SELECT destination, detail FROM delivery_log WHERE event_id = ? AND outcome = 'invalid_phone' ORDER BY destination")
    .bind(eventId)
    .all<{ destination: string; detail: string | null }>();
  return results;
}

const event = (user: Record<string, string>) => trackEvent({ user });

describe('phone default regions through ingest (no consent policy)', () => {
  beforeEach(async () => {
    await seedSite({ ...SITE, defaultCountry: 'GB' });
    clearPolicyCache();
  });

  it('reads a national number in the site defaultCountry: Meta digits, TikTok +E.164', async () => {
    const e = event({ phone: '07911 123456' });
    const sent = await ingest([e]);
    expect(phones(sent, e.eventId)).toEqual({ meta: await sha256Hex('447911123456'), tiktok: await sha256Hex('+447911123456') });
  });

  it('gives Google (GA4 and Google Ads) the same number as E.164 with +', async () => {
    await seedSite({
      ...SITE,
      defaultCountry: 'GB',
      destinations: {
        ga4: { type: 'ga4', measurementId: 'G-PHONE1234', apiSecretSecret: 'GA4_SECRET_TEST' },
        ads: { type: 'google_ads', customerId: '1234567890', conversionActionId: '555', developerTokenSecret: 'ADS_DEV_TOKEN_TEST', oauthClientIdSecret: 'ADS_CLIENT_ID_TEST', oauthClientSecretSecret: 'ADS_CLIENT_SECRET_TEST', oauthRefreshTokenSecret: 'ADS_REFRESH_TOKEN_TEST' },
      },
    });
    const e = trackEvent({ userId: 'customer-42', user: { phone: '07911 123456' } });
    const sent = (await ingest([e])) as unknown as Array<{ destinationKey: string; item: any }>;
    const digest = await sha256Hex('+447911123456');
    expect(sent.find((m) => m.destinationKey === 'ga4')!.item.user_data.sha256_phone_number).toEqual([digest]);
    expect(sent.find((m) => m.destinationKey === 'ads')!.item.conversion.userIdentifiers).toEqual([{ hashedPhoneNumber: digest }]);
  });

  it('the event’s own address country comes before defaultCountry and the request country', async () => {
    const e = event({ phone: '06 12 34 56 78', country: 'France' });
    // A site without a policy of its own runs under the built-in default, which holds EEA visitors
    // (DE) for opt-in: the request comes from JP (allowed under notice), where the same digits are
    // a valid Osaka number, so only the address country gives the +33 reading.
    const sent = await ingest([e], { cf: { country: 'JP' } });
    expect(phones(sent, e.eventId)).toEqual({ meta: await sha256Hex('33612345678'), tiktok: await sha256Hex('+33612345678') });
  });

  it('defaultCountry comes before the request country', async () => {
    // Valid in GB (the site default) and not in JP (the request country).
    const e = event({ phone: '020 7946 0958' });
    const sent = await ingest([e], { cf: { country: 'JP' } });
    expect(phones(sent, e.eventId).meta).toBe(await sha256Hex('442079460958'));
  });

  it('an unparseable number is not sent, and is counted per destination as invalid_phone without its value', async () => {
    const e = event({ phone: '12345', email: 'jane@example.com' });
    const before = invalidPhoneCounts(await status(SITE.id));
    const sent = await ingest([e]);
    expect(sent.map((m) => m.destinationKey).sort()).toEqual(['meta', 'tiktok']);
    expect(phones(sent, e.eventId)).toEqual({ meta: undefined, tiktok: undefined });
    expect(await invalidRows(e.eventId)).toEqual([{ destination: 'meta', detail: null }, { destination: 'tiktok', detail: null }]);
    const after = invalidPhoneCounts(await status(SITE.id));
    expect(after).toEqual({ meta: before.meta! + 1, tiktok: before.tiktok! + 1 });
  });

  it('an already hashed phone passes through and is never counted', async () => {
    const digest = await sha256Hex('447911123456');
    const e = event({ phone: digest.toUpperCase() });
    const sent = await ingest([e]);
    expect(phones(sent, e.eventId)).toEqual({ meta: digest, tiktok: digest });
    expect(await invalidRows(e.eventId)).toEqual([]);
  });
});

describe('site config defaultCountry', () => {
  it('takes an ISO 3166-1 alpha-2 code in capitals, and nothing else', () => {
    const parse = (defaultCountry: unknown) => SiteConfig.safeParse({ ...SITE, defaultCountry }).success;
    expect(parse('GB')).toBe(true);
    expect(parse(undefined)).toBe(true);
    for (const bad of ['gb', 'UK', 'XX', 'EU', 'GBR', 'United Kingdom', '', 44]) expect(parse(bad), String(bad)).toBe(false);
  });
});

describe('the per-request hash memo', () => {
  it('hashes each distinct normalized value once for all events and destinations of a request', async () => {
    const hashed: string[] = [];
    const hashes = createHashMemo((text) => {
      hashed.push(text);
      return sha256HexSync(text);
    });
    const { sent, queue } = recordingQueue();
    const queues = { DELIVERY_META: queue, DELIVERY_TIKTOK: queue };
    const user = { email: 'Jane@Example.com', phone: '+44 7911 123456', externalId: 'Cust-1' };
    const events = Array.from({ length: 5 }, () => trackEvent({ user })) as Parameters<typeof enqueueDeliveries>[2];
    await enqueueDeliveries({ ...(env as Env), ...queues } as Env, SITE, events, { ip: '203.0.113.50', userAgent: 'UA', receivedAt: Date.now(), hashes });
    // One queue message per destination, each carrying the batch's five items.
    const batches = sent as DeliveryBatchMessage[];
    expect(batches.map((m) => [m.destinationKey, m.items.length]).sort()).toEqual([['meta', 5], ['tiktok', 5]]);
    // Meta: email, digits-only phone, external id; TikTok adds only its +E.164 phone. 4 digests, not 30.
    expect(hashed.sort()).toEqual(['+447911123456', '447911123456', 'cust-1', 'jane@example.com']);
    const meta = batches.find((m) => m.destinationKey === 'meta')!.items[0]!.item as { user_data: { em: string[] } };
    expect(meta.user_data.em).toEqual([await sha256Hex('jane@example.com')]);
  });
});

describe('the request country as the last default region', () => {
  beforeEach(async () => {
    await seedSite(SITE); // no defaultCountry
    clearPolicyCache();
  });

  it('is used without a policy when the request has an IP (the IP reaches Meta and TikTok, which geolocate it themselves)', async () => {
    const e = event({ phone: '090-1234-5678' });
    const sent = await ingest([e], { cf: { country: 'JP' } });
    expect(phones(sent, e.eventId)).toEqual({ meta: await sha256Hex('819012345678'), tiktok: await sha256Hex('+819012345678') });
  });

  it('gives nothing to read a national number in when the request has no country: not sent, counted', async () => {
    const e = event({ phone: '090-1234-5678' });
    const sent = await ingest([e]);
    expect(phones(sent, e.eventId)).toEqual({ meta: undefined, tiktok: undefined });
    expect((await invalidRows(e.eventId)).map((r) => r.destination)).toEqual(['meta', 'tiktok']);
  });

  it('international numbers need no region at all', async () => {
    const e = event({ phone: '+33 (0)6 12 34 56 78' });
    const sent = await ingest([e]);
    expect(phones(sent, e.eventId)).toEqual({ meta: await sha256Hex('33612345678'), tiktok: await sha256Hex('+33612345678') });
  });
});

describe('the request country under a consent policy', () => {
  const US_CA = { country: 'US', regionCode: 'CA' };

  async function withPolicy(ipRule: Record<string, unknown>) {
    await seedSite({ ...SITE, id: 'test-shop', destinations: { meta: SITE.destinations.meta! } });
    clearPolicyCache();
    clearGvlCache();
    const policy = testPolicy();
    delete policy.destinations.meta_measurement;
    policy.fields['context.ip'] = ipRule;
    expect((await putPolicy(policy)).status).toBe(200);
  }

  it('is used where the policy lets the IP (here generalized to /24) reach the destination', async () => {
    await withPolicy({ action: 'generalize', ipv4Prefix: 24, ipv6Prefix: 48 });
    const e = event({ phone: '(212) 555-0187' });
    const sent = await ingest([e], { cf: US_CA });
    expect(phones(sent, e.eventId).meta).toBe(await sha256Hex('12125550187'));
  });

  it('is not used where the policy drops the IP for the destination: the country is derived from it', async () => {
    await withPolicy({ action: 'drop' });
    const e = event({ phone: '(212) 555-0187' });
    const sent = await ingest([e], { cf: US_CA });
    expect(sent.map((m) => m.destinationKey)).toEqual(['meta']);
    expect(phones(sent, e.eventId).meta).toBeUndefined();
    expect(await invalidRows(e.eventId)).toEqual([{ destination: 'meta', detail: null }]);
  });

  it('the policy simulator reads phones the same way, with the simulated location as the request country', async () => {
    await withPolicy({ action: 'generalize', ipv4Prefix: 24, ipv6Prefix: 48 });
    const simulate = async (phone: string) => {
      const body = { event: event({ phone }), location: { country: 'US', region: 'US-CA' }, ip: '203.0.113.50' };
      const response = await worker.fetch(new Request('https://gw.example/v1/admin/sites/test-shop/policy/simulate', { method: 'POST', headers: ADMIN, body: JSON.stringify(body) }), env as Env, createExecutionContext());
      expect(response.status).toBe(200);
      return ((await response.json()) as { destinations: { meta: { item: { user_data: { ph?: string[] } }; identityIssues?: string[] } } }).destinations.meta;
    };
    expect((await simulate('(212) 555-0187')).item.user_data.ph).toEqual([await sha256Hex('12125550187')]);
    const bad = await simulate('12345');
    expect(bad.item.user_data.ph).toBeUndefined();
    expect(bad.identityIssues).toEqual(['invalid_phone']);
  });

  it('the policy simulator shows the whole decoded TC string, Publisher TC fields included', async () => {
    await withPolicy({ action: 'generalize', ipv4Prefix: 24, ipv6Prefix: 48 });
    const tcString = makeTcString({ purposeConsents: [1, 2, 3, 4, 7], vendorConsents: [755], publisherConsents: [1], publisherCustomConsents: [2], numCustomPurposes: 3 });
    const body = { event: event({ email: 'jane@example.com' }), signals: { tcString }, location: { country: 'DE' } };
    const response = await worker.fetch(new Request('https://gw.example/v1/admin/sites/test-shop/policy/simulate', { method: 'POST', headers: ADMIN, body: JSON.stringify(body) }), env as Env, createExecutionContext());
    const answer = (await response.json()) as { tcf: { source: string; decoded: Record<string, unknown> } };
    expect(answer.tcf.source).toBe('tcString');
    expect(answer.tcf.decoded).toMatchObject({ numCustomPurposes: 3, publisherConsents: [1], publisherCustomConsents: [2], purposeConsents: [1, 2, 3, 4, 7], vendorConsents: [755] });
  });
});
