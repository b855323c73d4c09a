import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { destinationFor } from '../src/destinations/registry.ts';
import type { DestinationConfig } from '../src/site-config/site-config.ts';
import { FACTS, RAW, injectFailure, itemFor, purchase, received, scopedIds, sha256, siteWithAll, type SinkName } from './destinations.ts';

const LIMITED = { mode: 'limited', adUserData: 'denied', adPersonalization: 'denied' } as const;

function parse(body: string): any {
  return JSON.parse(body);
}

async function sendOne(config: DestinationConfig, item: unknown) {
  return destinationFor(config).send([item], config, env);
}

/** The one request a scoped destination received last, checked clean by the sink. */
async function lastRequest(sink: SinkName, match: string) {
  const requests = await received(sink, match);
  const last = requests.at(-1)!;
  expect(last.rejectedFor, JSON.stringify(last.rejectedFor)).toBeUndefined();
  return last;
}

describe('Meta Conversions API contract', () => {
  it('sends a valid event: hashed contact fields per Meta rules, fbc built from fbclid with its case, fbp, event id', async () => {
    const { meta } = siteWithAll('contract-meta').destinations;
    const event = purchase();
    expect(await sendOne(meta!, await itemFor(meta!, event))).toEqual({ ok: true });
    const request = await lastRequest('meta', (meta as { pixelId: string }).pixelId);
    const sent = parse(request.body).data[0];
    expect(sent.event_id).toBe(event.eventId);
    expect(sent.event_time).toBe(Math.floor(Date.parse(event.timestamp) / 1000));
    expect(sent.user_data.em).toEqual([await sha256('zebulon.quixote+shop@gmail.com')]);
    expect(sent.user_data.ph).toEqual([await sha256('16505550142')]);
    expect(sent.user_data.st).toEqual([await sha256('ca')]);
    expect(sent.user_data.zp).toEqual([await sha256('94035')]);
    expect(sent.user_data.country).toEqual([await sha256('us')]);
    expect(sent.user_data.db).toEqual([await sha256('19900704')]);
    expect(sent.user_data.fbc).toBe(`fb.1.${Date.parse(event.timestamp)}.IwAR2xYz_AbC-dEf`);
    expect(sent.user_data.fbp).toBe('fb.1.1700000000000.1234567890');
    expect(sent.data_processing_options).toEqual([]);
    expect(sent.custom_data).toMatchObject({ value: 42.5, currency: 'EUR', order_id: `order-${event.eventId}` });
  });

  it('marks limited data use with LDU and geolocation, and passes test_event_code', async () => {
    const meta = { ...siteWithAll('contract-meta-ldu').destinations.meta!, testEventCode: 'TEST123' } as DestinationConfig;
    expect(await sendOne(meta, await itemFor(meta, purchase(), LIMITED))).toEqual({ ok: true });
    const body = parse((await lastRequest('meta', (meta as { pixelId: string }).pixelId)).body);
    expect(body.test_event_code).toBe('TEST123');
    expect(body.data[0]).toMatchObject({ data_processing_options: ['LDU'], data_processing_options_country: 0, data_processing_options_state: 0 });
  });

  it('keeps an existing _fbc cookie rather than building one', async () => {
    const { meta } = siteWithAll('contract-meta-fbc').destinations;
    const event = purchase();
    event.context!.cookies!.fbc = 'fb.1.1699999999999.FromCookie';
    const item = (await itemFor(meta!, event)) as { user_data: { fbc: string } };
    expect(item.user_data.fbc).toBe('fb.1.1699999999999.FromCookie');
  });

  it('accepts Parameter Builder cookies (5th segment) and drops malformed ones instead of failing the event', async () => {
    const { meta } = siteWithAll('contract-meta-cookies').destinations;
    const withAppendix = purchase();
    withAppendix.context!.cookies = { fbc: 'fb.1.1699999999999.AbC-xyz.AQYBAQIA', fbp: 'fb.1.1699999999999.987654321.AQYBAQIA' };
    const item = (await itemFor(meta!, withAppendix)) as { user_data: { fbc?: string; fbp?: string } };
    expect(item.user_data).toMatchObject({ fbc: 'fb.1.1699999999999.AbC-xyz.AQYBAQIA', fbp: 'fb.1.1699999999999.987654321.AQYBAQIA' });
    const malformed = purchase();
    malformed.context!.cookies = { fbc: 'fb.1.IwAR-no-time', fbp: 'garbage' };
    const fixed = (await itemFor(meta!, malformed)) as { user_data: { fbc?: string; fbp?: string } };
    expect(fixed.user_data.fbp).toBeUndefined();
    expect(fixed.user_data.fbc).toBe(`fb.1.${Date.parse(malformed.timestamp)}.IwAR2xYz_AbC-dEf`);
  });
});

describe('GA4 Measurement Protocol contract', () => {
  it('sends client id from _ga, timestamp in µs, consent, user_provided_data with Google rules, address parts in clear', async () => {
    const { ga4 } = siteWithAll('contract-ga4').destinations;
    const event = purchase({ userId: 'user-77' });
    expect(await sendOne(ga4!, await itemFor(ga4!, event))).toEqual({ ok: true });
    const body = parse((await lastRequest('ga4', (ga4 as { measurementId: string }).measurementId)).body);
    expect(body.client_id).toBe('1234567890.1700000000');
    expect(body.user_id).toBe('user-77');
    expect(body.consent).toEqual({ ad_user_data: 'GRANTED', ad_personalization: 'GRANTED' });
    expect(body.events[0].name).toBe('purchase');
    expect(body.events[0].timestamp_micros).toBe(Math.floor(Date.parse(event.timestamp) / 1000) * 1_000_000);
    expect(body.events[0].params).toMatchObject({ transaction_id: `order-${event.eventId}`, currency: 'EUR', value: 42.5, session_id: '1700000123' });
    expect(body.user_data.sha256_email_address).toEqual([await sha256('zebulonquixote@gmail.com')]);
    expect(body.user_data.sha256_phone_number).toEqual([await sha256('+16505550142')]);
    expect(body.user_data.address[0]).toEqual({
      sha256_first_name: await sha256('zebulon'),
      sha256_last_name: await sha256('quixotevarga'),
      city: 'springfield',
      region: 'california',
      postal_code: '94035-1234',
      country: 'US',
    });
  });

  it('never sends a user id that is an email or a phone number (GA4 takes user_id in clear)', async () => {
    const { ga4 } = siteWithAll('contract-ga4-uid').destinations;
    for (const userId of ['zebulon@example.com', '+1 650 555 0142']) {
      const item = (await itemFor(ga4!, purchase({ userId }))) as { user_id?: string; user_data?: unknown };
      expect(item.user_id).toBeUndefined();
      expect(item.user_data).toBeUndefined();
    }
  });

  it('forwards denied consent and then sends no user data', async () => {
    const { ga4 } = siteWithAll('contract-ga4-denied').destinations;
    expect(await sendOne(ga4!, await itemFor(ga4!, purchase({ userId: 'user-77' }), LIMITED))).toEqual({ ok: true });
    const body = parse((await lastRequest('ga4', (ga4 as { measurementId: string }).measurementId)).body);
    expect(body.consent).toEqual({ ad_user_data: 'DENIED', ad_personalization: 'DENIED' });
    expect(body.user_data).toBeUndefined();
  });

  it('validation mode reports what the live endpoint silently accepts', async () => {
    const live = siteWithAll('contract-ga4-val').destinations.ga4!;
    const debug = { ...live, validationMode: true } as DestinationConfig;
    const item = (await itemFor(live, purchase())) as { event: { name: string } };
    item.event.name = 'session_start'; // reserved: GA4 drops it
    expect(await sendOne(live, item)).toEqual({ ok: true });
    const outcome = await sendOne(debug, item);
    expect(outcome).toMatchObject({ ok: false, retryable: false });
    expect((outcome as { reason: string }).reason).toContain('reserved');
    const requests = await received('ga4', (live as { measurementId: string }).measurementId);
    expect(requests.map((r) => r.path)).toEqual(['/mp/collect', '/debug/mp/collect']);
  });
});

describe('Google Ads click conversions contract', () => {
  it('uploads gclid, conversion time with offset, order id, hashed identifiers and consent, with an OAuth token', async () => {
    const { ads } = siteWithAll('contract-ads').destinations;
    const event = purchase();
    expect(await sendOne(ads!, await itemFor(ads!, event))).toEqual({ ok: true, rejected: [] });
    const customerId = (ads as { customerId: string }).customerId;
    const request = await lastRequest('googleAds', customerId);
    expect(request.path).toBe(`/v26/customers/${customerId}:uploadClickConversions`);
    expect(request.headers.authorization).toMatch(/^Bearer sink-access-token-\d+$/);
    const body = parse(request.body);
    expect(body.partialFailure).toBe(true);
    expect(body.conversions[0]).toMatchObject({
      gclid: 'Cj0KCQiA-gclid_Test',
      conversionAction: `customers/${customerId}/conversionActions/555`,
      conversionValue: 42.5,
      currencyCode: 'EUR',
      orderId: `order-${event.eventId}`,
      consent: { adUserData: 'GRANTED' },
      userIdentifiers: [{ hashedEmail: await sha256('zebulonquixote@gmail.com') }, { hashedPhoneNumber: await sha256('+16505550142') }],
    });
    expect(body.conversions[0].conversionDateTime).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\+00:00$/);
  });

  it('sends no identifiers when ad_user_data is denied, and skips events it is not configured for', async () => {
    const { ads } = siteWithAll('contract-ads-denied').destinations;
    const item = (await itemFor(ads!, purchase(), LIMITED)) as { conversion: Record<string, unknown> };
    expect(item.conversion.userIdentifiers).toBeUndefined();
    expect(item.conversion.consent).toEqual({ adUserData: 'DENIED' });
    expect(await itemFor(ads!, purchase({ event: 'AddToCart' } as never))).toBeNull();
  });

  it('dead-letters only the rows a partial failure names', async () => {
    const { ads } = siteWithAll('contract-ads-partial').destinations;
    const good = await itemFor(ads!, purchase());
    const bad = (await itemFor(ads!, purchase())) as { conversion: Record<string, unknown> };
    bad.conversion.conversionDateTime = '2026-11-28T10:00:00Z'; // no offset, wrong format
    const outcome = await destinationFor(ads!).send([good, bad], ads!, env);
    expect(outcome.ok).toBe(true);
    expect((outcome as { rejected: Array<{ index: number; reason: string }> }).rejected).toEqual([
      { index: 1, reason: expect.stringContaining('INVALID_CONVERSION') },
    ]);
  });
});

describe('TikTok Events API contract', () => {
  it('sends event, event_id, ttclid, ttp, hashed email and E.164 phone, limited_data_use', async () => {
    const { tiktok } = siteWithAll('contract-tiktok').destinations;
    const event = purchase();
    expect(await sendOne(tiktok!, await itemFor(tiktok!, event, LIMITED))).toEqual({ ok: true });
    const request = await lastRequest('tiktok', (tiktok as { pixelCode: string }).pixelCode);
    expect(request.headers['access-token']).toBe('test-tiktok-token');
    const body = parse(request.body);
    expect(body).toMatchObject({ event_source: 'web', event_source_id: (tiktok as { pixelCode: string }).pixelCode });
    expect(body.data[0]).toMatchObject({
      event: 'CompletePayment',
      event_id: event.eventId,
      limited_data_use: true,
      user: {
        email: await sha256('zebulon.quixote+shop@gmail.com'),
        phone: await sha256('+16505550142'),
        external_id: await sha256('customer-z-42'),
        ttclid: 'E.C.P.ttclidTest',
        ttp: 'ttp-cookie-value',
      },
    });
  });
});

describe('failure classification against vendor error answers', () => {
  const cases: Array<{ sink: SinkName; key: 'meta' | 'ga4' | 'ads' | 'tiktok'; scope: (c: any) => string; permanent: Record<string, unknown>; expectReason: string }> = [
    { sink: 'meta', key: 'meta', scope: (c) => c.pixelId, permanent: { status: 400, body: { error: { message: 'Invalid OAuth access token', type: 'OAuthException', code: 190, is_transient: false } } }, expectReason: 'code 190' },
    { sink: 'ga4', key: 'ga4', scope: (c) => c.measurementId, permanent: { status: 403, body: { error: { code: 403, status: 'PERMISSION_DENIED' } } }, expectReason: 'ga4 403' },
    { sink: 'googleAds', key: 'ads', scope: (c) => c.customerId, permanent: { status: 400, body: { error: { code: 400, status: 'INVALID_ARGUMENT', details: [{ errors: [{ errorCode: { conversionUploadError: 'INVALID_CONVERSION_ACTION' }, message: 'bad action' }] }] } } }, expectReason: 'INVALID_CONVERSION_ACTION' },
    { sink: 'tiktok', key: 'tiktok', scope: (c) => c.pixelCode, permanent: { status: 200, body: { code: 40001, message: 'No permission to operate pixel' } }, expectReason: 'code 40001' },
  ];

  it.each(cases)('$key: 429 + Retry-After, 500 and timeouts retry; vendor 4xx is permanent with its reason', async ({ sink, key, scope, permanent, expectReason }) => {
    const site = siteWithAll(`classify-${key}`);
    const config = site.destinations[key]!;
    const match = scope(config);
    const item = await itemFor(config, purchase());
    await injectFailure(sink, { match, count: 1, status: 429, headers: { 'retry-after': '17' }, body: {} });
    expect(await sendOne(config, item)).toMatchObject({ ok: false, retryable: true, retryAfterSeconds: 17 });
    await injectFailure(sink, { match, count: 1, status: 500, body: {} });
    expect(await sendOne(config, item)).toMatchObject({ ok: false, retryable: true });
    await injectFailure(sink, { match, count: 1, status: 0, hang: true });
    expect(await sendOne(config, item)).toMatchObject({ ok: false, retryable: true, reason: expect.stringContaining('network') });
    await injectFailure(sink, { match, count: 1, ...permanent });
    const outcome = await sendOne(config, item);
    expect(outcome).toMatchObject({ ok: false, retryable: false });
    expect((outcome as { reason: string }).reason).toContain(expectReason);
    expect(await sendOne(config, item)).toMatchObject({ ok: true });
  }, 20_000);

  it('a missing secret is a permanent failure, not a crash', async () => {
    const meta = { ...siteWithAll('classify-secret').destinations.meta!, accessTokenSecret: 'NOT_SET_ANYWHERE' } as DestinationConfig;
    expect(await sendOne(meta, await itemFor(meta, purchase()))).toMatchObject({ ok: false, retryable: false, reason: expect.stringContaining('NOT_SET_ANYWHERE') });
  });

  it('never sends an event time in the future, whatever the device clock says', async () => {
    const { meta } = siteWithAll('clock').destinations;
    const ahead = purchase({ timestamp: new Date(FACTS.receivedAt + 3_600_000).toISOString() });
    const item = (await itemFor(meta!, ahead)) as { event_time: number };
    expect(item.event_time).toBe(Math.floor(FACTS.receivedAt / 1000));
    void RAW;
  });
});
