/** How a client backs off: the first ceiling and the largest one. */
export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
}

/**
 * Full-jitter exponential backoff (AWS Architecture Blog, "Exponential Backoff and Jitter"): a
 * random delay below base × 2^(attempt−1), capped, and never shorter than the server's
 * Retry-After. Shared by the SDK's queue and the gateway's delivery, each with its own policy.
 * @example retryDelay(3, { baseMs: 1000, maxMs: 300_000 }, 0) // somewhere in (0, 4000]
 */
export function retryDelay(attempt: number, policy: BackoffPolicy, retryAfterMs = 0, random: () => number = cryptoUnit): number {
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.max(retryAfterMs, Math.ceil(random() * ceiling));
}

/** A uniform number in [0, 1) from the crypto RNG (jitter must not be predictable or synchronized). */
function cryptoUnit(): number {
  return crypto.getRandomValues(new Uint32Array(1))[0]! / 2 ** 32;
}

/**
 * A Retry-After header (delta-seconds or an HTTP date, RFC 9110 §10.2.3) as milliseconds from
 * `now`, or undefined when absent or unreadable.
 */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
