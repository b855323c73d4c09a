import { retryDelay } from '@sluice/protocol';

/** First retry after 2 s, doubling up to 10 min: vendor rate-limit windows are minutes, not hours. */
export const BACKOFF_BASE_SECONDS = 2;
export const BACKOFF_MAX_SECONDS = 600;
/** A queue message can be delayed by at most 12 hours (Cloudflare Queues limits), whatever Retry-After asks. */
export const QUEUE_MAX_DELAY_SECONDS = 43_200;

/** Seconds until a delivery's next attempt (the shared full-jitter policy, in Queues' unit). */
export function backoffSeconds(attempt: number, retryAfterSeconds = 0, random?: () => number): number {
  const ms = retryDelay(attempt, { baseMs: BACKOFF_BASE_SECONDS * 1000, maxMs: BACKOFF_MAX_SECONDS * 1000 }, retryAfterSeconds * 1000, random);
  return Math.min(QUEUE_MAX_DELAY_SECONDS, Math.ceil(ms / 1000));
}
