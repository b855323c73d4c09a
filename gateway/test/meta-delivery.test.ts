import { createMessageBatch, env, getQueueResult, SELF, createExecutionContext } from 'cloudflare:test';
import { beforeEach, describe, expect, inject, it } from 'vitest';
import worker from '../src/index.ts';
import type { DeliveryMessage } from '../src/delivery/delivery-message.ts';
import { metaDestination } from '../src/destinations/meta/index.ts';
import { sha256Hex } from '../src/identity/sha256.ts';
import { batchOf, post, seedSite, site, trackEvent } from './fixtures.ts';
import { Event as EventSchema } from '@sluice/protocol';
import type { SinkRequest } from './destinations.ts';
import type { MetaDestinationConfig } from '../src/site-config/site-config.ts';

const sinkUrl = () => inject('metaSinkUrl');


async function sink<T = SinkRequest[]>(path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${sinkUrl()}/_sink/${path}`, body === undefined ? {} : { method: 'POST', body: JSON.stringify(body) });
  return (await response.json()) as T;
}

async function messageFor(overrides: Record<string, unknown> = {}): Promise<DeliveryMessage> {
  const event = EventSchema.parse(trackEvent(overrides));
  const item = await metaDestination.toItem(event, { ip: '203.0.113.9', userAgent: 'UA', receivedAt: Date.now() }, site.destinations.meta as MetaDestinationConfig, {
    mode: 'full',
    adUserData: 'granted',
    adPersonalization: 'granted',
  });
  return { siteId: site.id, destinationKey: 'meta', eventId: event.eventId, item };
}

async function consume(messages: DeliveryMessage[]) {
  const batch = createMessageBatch<DeliveryMessage>(
    'sluice-delivery',
    messages.map((body, i) => ({ id: `m${i}`, timestamp: new Date(), attempts: 1, body })),
  );
  const ctx = createExecutionContext();
  await worker.queue(batch, env, ctx);
  return getQueueResult(batch, ctx);
}

beforeEach(async () => {
  await seedSite();
  await sink('reset', {});
});

describe('Meta delivery (queue consumer → local Meta sink)', () => {
  it('posts hashed user data in the documented shape with the token from the named secret', async () => {
    const result = await consume([await messageFor()]);
    expect(result.explicitAcks).toEqual(['m0']);
    const [request] = await sink('received');
    expect(request!.rejectedFor).toBeUndefined();
    expect(request!.path).toBe('/v25.0/1234567890/events');
    const body = JSON.parse(request!.body);
    expect(body.access_token).toBe('test-meta-token');
    const [event] = body.data;
    expect(event.user_data.em).toEqual([await sha256Hex('jane.doe@example.com')]);
    expect(event.user_data.ph).toEqual([await sha256Hex('16505550100')]);
    expect(event.user_data.client_ip_address).toBe('203.0.113.9');
    expect(event.action_source).toBe('website');
    expect(Number.isInteger(event.event_time)).toBe(true);
    expect(event.custom_data).toEqual({ value: 42.5, currency: 'EUR' });
    expect(request!.body).not.toMatch(/jane|example\.com|555-?0100/i);
  });

  it('retries on 5xx, on 429 and on timeouts instead of acking', async () => {
    for (const failure of [{ status: 503 }, { status: 429, headers: { 'retry-after': '120' } }, { status: 200, hang: true }]) {
      await sink('fail', { ...failure, count: 1 });
      const result = await consume([await messageFor()]);
      expect(result.retryMessages.map((m: { msgId: string }) => m.msgId)).toEqual(['m0']);
      expect(result.explicitAcks).toEqual([]);
    }
  });

  it('dead-letters permanent vendor errors with the vendor reason and no raw data', async () => {
    await sink('fail', { status: 400, count: 1, body: { error: { message: 'Invalid parameter', code: 100, is_transient: false } } });
    const message = await messageFor();
    const result = await consume([message]);
    expect(result.explicitAcks).toEqual(['m0']);
    expect(result.retryMessages).toEqual([]);
    const row = await env.DB.prepare('SELECT reason, payload FROM dead_letters WHERE event_id = ?').bind(message.eventId).first<{ reason: string; payload: string }>();
    expect(row!.reason).toContain('code 100');
    expect(row!.payload).not.toMatch(/jane|example\.com/i);
  });

  it('delivers what /v1/batch accepted, through the real queue, to the sink', async () => {
    const event = trackEvent();
    const response = await SELF.fetch(post(batchOf([event]), {}));
    expect(response.status).toBe(200);
    await expect
      .poll(async () => (await sink('received')).filter((r) => r.body.includes(event.eventId as string)).length, { timeout: 10_000 })
      .toBe(1);
  });
});
