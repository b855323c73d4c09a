import type { Event } from '@sluice/protocol';
import { batchBody } from './post-batch.ts';

/** `fetch(..., { keepalive })` and `sendBeacon` bodies are capped at 64 KiB (Fetch spec); keep a margin. */
export const KEEPALIVE_BODY_LIMIT = 60 * 1024;

const bytes = (text: string) => new TextEncoder().encode(text).length;

/**
 * Splits events, in order, into the fewest request bodies of at most `limit` bytes and `maxCount`
 * events. Sizes are measured on the real encoding (shared context factored out), by binary search
 * over the prefix length, so each body is as full as it can be. An event alone over the limit is
 * still sent alone: dropping it silently would be worse than a refused request.
 */
export function splitBatches(events: Event[], maxCount: number, limit = KEEPALIVE_BODY_LIMIT, encode: (events: Event[]) => string = batchBody): Event[][] {
  const batches: Event[][] = [];
  let rest = events;
  while (rest.length) {
    let fits = 1;
    let tooMany = Math.min(maxCount, rest.length) + 1;
    while (tooMany - fits > 1) {
      const mid = (fits + tooMany) >> 1;
      if (bytes(encode(rest.slice(0, mid))) <= limit) fits = mid;
      else tooMany = mid;
    }
    batches.push(rest.slice(0, fits));
    rest = rest.slice(fits);
  }
  return batches;
}
