import { describe, expect, it } from 'vitest';
import type { Event } from '@sluice/protocol';
import { KEEPALIVE_BODY_LIMIT, splitBatches } from './split-batches.ts';
import { batchBody } from './post-batch.ts';

const event = (i: number, pad = 0) =>
  ({ type: 'track', event: `E${i}`, eventId: `id-${i}`, timestamp: '2026-11-28T00:00:00Z', anonymousId: 'a', properties: { pad: 'x'.repeat(pad) } }) as Event;

describe('splitBatches', () => {
  it('keeps every batch body under the 64 KB keepalive limit, in order, losing nothing', () => {
    const events = Array.from({ length: 40 }, (_, i) => event(i, 5000));
    const batches = splitBatches(events, 500);
    expect(batches.length).toBeGreaterThan(1);
    for (const batch of batches) expect(new TextEncoder().encode(batchBody(batch)).length).toBeLessThanOrEqual(KEEPALIVE_BODY_LIMIT);
    expect(batches.flat().map((e) => e.eventId)).toEqual(events.map((e) => e.eventId));
  });

  it('fills each body: context shared by all events is sent once, so more events fit', () => {
    const withContext = Array.from({ length: 600 }, (_, i) => ({
      ...event(i),
      context: { userAgent: 'Mozilla/5.0 '.repeat(12), page: { url: 'https://shop.example/p', title: 'Product' }, sessionId: 's1' },
    })) as Event[];
    const batches = splitBatches(withContext, 500);
    const naive = Math.floor(KEEPALIVE_BODY_LIMIT / JSON.stringify(withContext[0]).length);
    expect(batches[0]!.length).toBeGreaterThan(naive * 2);
    const body = JSON.parse(batchBody(batches[0]!));
    expect(body.context.userAgent).toContain('Mozilla');
    expect(body.events[0].context).toBeUndefined();
    expect(body.anonymousId).toBe('a');
    expect(body.events[0].anonymousId).toBeUndefined();
  });

  it('caps the event count per batch', () => {
    expect(splitBatches(Array.from({ length: 7 }, (_, i) => event(i)), 3).map((b) => b.length)).toEqual([3, 3, 1]);
  });

  it('sends an event larger than the limit on its own instead of dropping it', () => {
    expect(splitBatches([event(1), event(2, 70_000), event(3)], 500).map((b) => b.length)).toEqual([1, 1, 1]);
  });
});
