import type { Event } from '@sluice/protocol';
import { parseRetryAfterMs } from './backoff.ts';

/** How a send went: the queue keeps, drops or retries the events from this. */
export type SendResult =
  | { ok: true; anonymousId?: string }
  | { ok: false; permanent: true; status: number }
  | { ok: false; permanent: false; retryAfterMs: number };

/** The JSON body of one batch. `dropped` reports events the queue had to give up since the last batch. */
export function batchBody(events: Event[], dropped = 0): string {
  return JSON.stringify(dropped ? { sentAt: new Date().toISOString(), events, dropped } : { sentAt: new Date().toISOString(), events });
}

/**
 * POSTs a batch with `keepalive` (so it survives navigation; the body is kept under 64 KB by the
 * caller) as `text/plain` (no CORS preflight), with credentials so the gateway's first-party id
 * cookie travels. 429, 5xx and network errors are retryable; other 4xx are not (resending the
 * same bytes cannot succeed).
 */
export async function postBatch(url: string, body: string): Promise<SendResult> {
  let response: Response;
  try {
    response = await fetch(url, { method: 'POST', body, keepalive: true, credentials: 'include', headers: { 'content-type': 'text/plain' } });
  } catch {
    return { ok: false, permanent: false, retryAfterMs: 0 };
  }
  if (response.ok) {
    const json = (await response.json().catch(() => ({}))) as { anonymousId?: string };
    return json.anonymousId ? { ok: true, anonymousId: json.anonymousId } : { ok: true };
  }
  if (response.status === 429 || response.status >= 500) {
    return { ok: false, permanent: false, retryAfterMs: parseRetryAfterMs(response.headers.get('retry-after')) };
  }
  return { ok: false, permanent: true, status: response.status };
}

/** Last-chance delivery while the page goes away: the browser sends it after unload. */
export function beaconBatch(url: string, body: string): boolean {
  try {
    return navigator.sendBeacon(url, new Blob([body], { type: 'text/plain' }));
  } catch {
    return false;
  }
}
