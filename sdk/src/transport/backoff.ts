import { retryAfterMs, retryDelay } from '@sluice/protocol';

/** First retry after 1 s, doubling to at most 5 min: long enough for a gateway restart, short for a page. */
export const RETRY_BASE_MS = 1000;
export const RETRY_MAX_MS = 5 * 60 * 1000;

/** Milliseconds until the queue's next attempt (the shared full-jitter policy; see @sluice/protocol). */
export function retryDelayMs(attempt: number, retryAfterMs = 0, random?: () => number): number {
  return retryDelay(attempt, { baseMs: RETRY_BASE_MS, maxMs: RETRY_MAX_MS }, retryAfterMs, random);
}

/** Retry-After as milliseconds, 0 when absent (the shared reader in @sluice/protocol). */
export function parseRetryAfterMs(header: string | null, now = Date.now()): number {
  return retryAfterMs(header, now) ?? 0;
}
