import { describe, expect, it } from 'vitest';
import { packBatchMessages, packedTexts, utf8Length } from './pack-batch-messages.ts';
import { QUEUE_SEND_BATCH_MAX, QUEUE_SEND_BATCH_MAX_BYTES, sendBatchParts } from './queue-for.ts';
import type { DeliveryBatchItem } from './delivery-message.ts';

/** A destination's message of `n` items of about `bytes` each, as ingest packs it (with its JSON text). */
function packed(n: number, bytes: number, key = 'meta') {
  const items: DeliveryBatchItem[] = Array.from({ length: n }, (_, i) => ({ eventId: `e-${key}-${i}`, item: { pad: 'é'.repeat(bytes / 2) } }));
  const [message] = packBatchMessages('site', key, items);
  return message!;
}

describe('sendBatchParts: one sendBatch per queue within the per-call limits', () => {
  it('packs each message with its exact JSON text (what is sent), multi-byte characters counted as UTF-8', () => {
    const message = packed(3, 1000);
    const text = packedTexts.get(message)!;
    expect(JSON.parse(text)).toEqual(message);
    expect(utf8Length(text)).toBe(new TextEncoder().encode(text).length);
  });

  it('keeps messages in one call while their texts fit, and splits where the next would pass 256,000 bytes', () => {
    const small = [packed(2, 2000, 'a'), packed(2, 2000, 'b')];
    expect(sendBatchParts(small)).toEqual([small]);
    // Four messages of ~100 KB of UTF-8 each (50 k two-byte characters): two fit per call, not four.
    const large = ['a', 'b', 'c', 'd'].map((k) => packed(1, 100_000, k));
    const sizes = large.map((m) => utf8Length(packedTexts.get(m)!));
    expect(sizes.every((s) => s > 100_000 && s < 128_000)).toBe(true);
    const parts = sendBatchParts(large);
    expect(parts.map((p) => p.length)).toEqual([2, 2]);
    for (const part of parts) expect(part.reduce((n, m) => n + utf8Length(packedTexts.get(m)!), 0)).toBeLessThanOrEqual(QUEUE_SEND_BATCH_MAX_BYTES);
  });

  it('splits at 100 messages per call', () => {
    const many = Array.from({ length: QUEUE_SEND_BATCH_MAX + 1 }, (_, i) => packed(1, 10, `k${i}`));
    expect(sendBatchParts(many).map((p) => p.length)).toEqual([QUEUE_SEND_BATCH_MAX, 1]);
  });
});
