import { createExecutionContext, createMessageBatch, env, getQueueResult } from 'cloudflare:test';
import { inject } from 'vitest';
import type { Event } from '@sluice/protocol';
import worker from '../src/index.ts';
import { FULL_CONSENT, type DeliveryConsent, type RequestFacts } from '../src/destinations/destination.ts';
import { destinationFor } from '../src/destinations/registry.ts';
import type { DeliveryMessage } from '../src/delivery/delivery-message.ts';
import { clearSiteConfigCache } from '../src/site-config/load-site-config.ts';
import { SiteConfig, type DestinationConfig } from '../src/site-config/site-config.ts';
import type { ReceivedRequest } from '../../examples/sinks/index.ts';

/** Raw personal data used by destination tests; none of these strings may ever reach a sink or a log. */
export const RAW = {
  email: '  Zebulon.Quixote+shop@GMail.com ',
  phone: '+1 (650) 555-0142',
  firstName: 'Zebulon',
  lastName: 'Quixote-Varga',
  city: 'Springfield',
  region: 'California',
  postalCode: '94035-1234',
  country: 'United States',
  birthdate: '1990-07-04',
  gender: 'male',
  externalId: 'Customer-Z-42',
};

/** Every form of RAW a careless gateway could leak (raw, trimmed, lowercased, normalized without hashing). */
export const RAW_FORMS = [
  'Zebulon', 'zebulon', 'Quixote', 'quixote', 'Zebulon.Quixote', 'zebulon.quixote', 'zebulonquixote@gmail.com',
  '650) 555', '6505550142', 'Customer-Z-42', 'customer-z-42', '19900704', '1990-07-04',
];

/** Request facts as ingest would see them; `receivedAt` is read when used, so events made later are never "from the future". */
export const FACTS: RequestFacts = {
  ip: '203.0.113.7',
  userAgent: 'Mozilla/5.0 (sink test)',
  get receivedAt() {
    return Date.now();
  },
};

/** Destination ids unique to one test, so that parallel test files never see each other's requests at the sinks. */
export function scopedIds() {
  const n = String(Date.now() % 1e9).padStart(9, '0') + String(crypto.getRandomValues(new Uint32Array(1))[0]! % 1000).padStart(3, '0');
  return {
    pixelId: `9${n}`,
    measurementId: `G-${n}`,
    customerId: n.slice(-10),
    pixelCode: `TT${n}`,
  };
}

/** A site with one destination of each type. */
export function siteWithAll(id: string, ids = scopedIds()): SiteConfig {
  return {
    id,
    allowedOrigins: ['https://shop.example'],
    destinations: {
      meta: { type: 'meta', pixelId: ids.pixelId, accessTokenSecret: 'META_TOKEN_TEST' },
      ga4: { type: 'ga4', measurementId: ids.measurementId, apiSecretSecret: 'GA4_SECRET_TEST' },
      ads: {
        type: 'google_ads',
        customerId: ids.customerId,
        conversionActionId: '555',
        developerTokenSecret: 'ADS_DEV_TOKEN_TEST',
        oauthClientIdSecret: 'ADS_CLIENT_ID_TEST',
        oauthClientSecretSecret: 'ADS_CLIENT_SECRET_TEST',
        oauthRefreshTokenSecret: 'ADS_REFRESH_TOKEN_TEST',
      },
      tiktok: { type: 'tiktok', pixelCode: ids.pixelCode, accessTokenSecret: 'TIKTOK_TOKEN_TEST' },
    },
  };
}

export async function seed(site: SiteConfig, writeKey?: string): Promise<void> {
  if (!SiteConfig.safeParse(site).success) throw new Error(`test site ${site.id} is not a valid config`);
  await env.CONFIG.put(`site:${site.id}`, JSON.stringify(site));
  if (writeKey) await env.CONFIG.put(`writekey:${writeKey}`, site.id);
  clearSiteConfigCache();
}

/** A Purchase with everything a shop might know about the buyer. */
export function purchase(overrides: Partial<Event> = {}): Event {
  const eventId = crypto.randomUUID();
  return {
    type: 'track',
    event: 'Purchase',
    eventId,
    timestamp: new Date().toISOString(),
    anonymousId: 'anon-1',
    properties: { value: 42.5, currency: 'eur', orderId: `order-${eventId}` },
    user: { ...RAW },
    context: {
      page: { url: 'https://shop.example/checkout', referrer: 'https://shop.example/cart' },
      userAgent: 'Mozilla/5.0 (sink test)',
      clickIds: { fbclid: 'IwAR2xYz_AbC-dEf', gclid: 'Cj0KCQiA-gclid_Test', ttclid: 'E.C.P.ttclidTest' },
      cookies: { fbp: 'fb.1.1700000000000.1234567890', ttp: 'ttp-cookie-value', ga: 'GA1.1.1234567890.1700000000' },
      sessionId: '1700000123',
    },
    ...overrides,
  } as Event;
}

/** Queue messages for an event at a destination of a site, built by the real adapter (as ingest does). */
export async function messageFor(site: SiteConfig, key: string, event: Event, consent: DeliveryConsent = FULL_CONSENT): Promise<DeliveryMessage | null> {
  const config = site.destinations[key]!;
  const item = await destinationFor(config).toItem(event, FACTS, config, consent);
  return item === null ? null : { siteId: site.id, destinationKey: key, eventId: event.eventId, item };
}

export async function itemFor(config: DestinationConfig, event: Event, consent: DeliveryConsent = FULL_CONSENT): Promise<unknown> {
  return destinationFor(config).toItem(event, FACTS, config, consent);
}

export interface QueuedMessage {
  id: string;
  attempts: number;
  body: DeliveryMessage;
}

/** Runs the worker's real queue handler on one batch; returns what it acked and retried. */
export async function runQueue(queue: string, messages: QueuedMessage[]) {
  const batch = createMessageBatch<DeliveryMessage>(
    queue,
    messages.map((m) => ({ id: m.id, timestamp: new Date(), attempts: m.attempts, body: m.body })),
  );
  // The test harness does not report retry delays; record them from the real retry() calls.
  const delays = new Map<string, number | undefined>();
  for (const message of batch.messages) {
    const retry = message.retry.bind(message);
    Object.defineProperty(message, 'retry', {
      value: (options?: QueueRetryOptions) => {
        delays.set(message.id, options?.delaySeconds);
        retry(options);
      },
    });
  }
  const ctx = createExecutionContext();
  await (worker as ExportedHandler<typeof env, DeliveryMessage>).queue!(batch, env, ctx);
  return { ...(await getQueueResult(batch, ctx)), delays };
}

export function queued(bodies: DeliveryMessage[], attempts = 1): QueuedMessage[] {
  return bodies.map((body) => ({ id: crypto.randomUUID(), attempts, body }));
}

export type SinkName = 'meta' | 'ga4' | 'googleAds' | 'tiktok';

export function sinkUrl(name: SinkName): string {
  return inject(`${name}SinkUrl` as 'metaSinkUrl');
}

/** What a sink recorded: the same shape the sinks themselves use. */
export type SinkRequest = ReceivedRequest;

export async function received(name: SinkName, match?: string): Promise<SinkRequest[]> {
  const response = await fetch(`${sinkUrl(name)}/_sink/received${match ? `?match=${encodeURIComponent(match)}` : ''}`);
  return (await response.json()) as SinkRequest[];
}

export async function injectFailure(name: SinkName, failure: Record<string, unknown>): Promise<void> {
  await fetch(`${sinkUrl(name)}/_sink/fail`, { method: 'POST', body: JSON.stringify(failure) });
}

export async function chaos(name: SinkName, settings: Record<string, unknown>): Promise<void> {
  await fetch(`${sinkUrl(name)}/_sink/chaos`, { method: 'POST', body: JSON.stringify(settings) });
}

export async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export const ADMIN = { authorization: `Bearer ${env.ADMIN_TOKEN}` };
