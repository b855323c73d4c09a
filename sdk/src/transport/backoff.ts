/** First retry after 1 s, doubling to at most 5 min: long enough for a gateway restart, short for a page. */
export const RETRY_BASE_MS = 1000;
export const RETRY_MAX_MS = 5 * 60 * 1000;

/**
 * Full-jitter exponential backoff, never sooner than the server's Retry-After.
 * Mirrors the gateway's `delivery/backoff.ts` (same policy, browser units: ms).
 */
export function retryDelayMs(attempt: number, retryAfterMs = 0, random = unitRandom): number {
  const ceiling = Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** Math.max(0, attempt - 1));
  return Math.max(retryAfterMs, Math.ceil(random() * ceiling));
}

/** Retry-After in delta-seconds or an HTTP date, as milliseconds. */
export function parseRetryAfterMs(header: string | null, now = Date.now()): number {
  if (!header) return 0;
  const seconds = Number(header);
  if (seconds >= 0) return seconds * 1000;
  const at = Date.parse(header);
  return at > now ? at - now : 0;
}

function unitRandom(): number {
  return crypto.getRandomValues(new Uint32Array(1))[0]! / 2 ** 32;
}
