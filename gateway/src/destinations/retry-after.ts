import { retryAfterMs } from '@sluice/protocol';

/** Reads a Retry-After header as whole seconds (Queues' unit), if present. */
export function parseRetryAfter(header: string | null, now = Date.now()): number | undefined {
  const ms = retryAfterMs(header, now);
  return ms === undefined ? undefined : Math.ceil(ms / 1000);
}
