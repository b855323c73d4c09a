/** First retry after 2 s, doubling up to 10 min: vendor rate-limit windows are minutes, not hours. */
export const BACKOFF_BASE_SECONDS = 2;
export const BACKOFF_MAX_SECONDS = 600;
/** A queue message can be delayed by at most 12 hours (Cloudflare Queues limits), whatever Retry-After asks. */
export const QUEUE_MAX_DELAY_SECONDS = 43_200;

/**
 * Full-jitter exponential backoff (AWS Architecture Blog, "Exponential Backoff and Jitter"),
 * never shorter than the server's Retry-After.
 */
export function backoffSeconds(attempt: number, retryAfterSeconds = 0, random: () => number = unitRandom): number {
  const ceiling = Math.min(BACKOFF_MAX_SECONDS, BACKOFF_BASE_SECONDS * 2 ** Math.max(0, attempt - 1));
  return Math.min(QUEUE_MAX_DELAY_SECONDS, Math.max(retryAfterSeconds, Math.ceil(random() * ceiling)));
}

function unitRandom(): number {
  return crypto.getRandomValues(new Uint32Array(1))[0]! / 2 ** 32;
}
