import type { Event } from '@sluice/protocol';

/** `fetch(..., { keepalive })` and `sendBeacon` bodies are capped at 64 KiB (Fetch spec); keep a margin for the envelope. */
export const KEEPALIVE_BODY_LIMIT = 60 * 1024;

/** Splits events into batches whose JSON bodies stay under `limit` bytes and `maxCount` events. */
export function splitBatches(events: Event[], maxCount: number, limit = KEEPALIVE_BODY_LIMIT): Event[][] {
  const batches: Event[][] = [];
  let current: Event[] = [];
  let size = 0;
  for (const event of events) {
    const bytes = new TextEncoder().encode(JSON.stringify(event)).length + 1;
    if (current.length && (size + bytes > limit || current.length >= maxCount)) {
      batches.push(current);
      current = [];
      size = 0;
    }
    current.push(event);
    size += bytes;
  }
  if (current.length) batches.push(current);
  return batches;
}
