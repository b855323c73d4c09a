import type { Event } from '@sluice/protocol';
import { parseRetryAfterMs } from './backoff.ts';

/** How a send went: the queue keeps, drops or retries the events from this. */
export type SendResult =
  | { ok: true; anonymousId?: string }
  | { ok: false; permanent: true; status: number }
  | { ok: false; permanent: false; retryAfterMs: number };

/**
 * The JSON body of one batch. Context keys equal across all its events (page, user agent, session,
 * ...) are sent once at batch level: pagehide beacons share a 64 KB budget, so bytes are events.
 * `dropped` reports events the queue had to give up since the last batch.
 */
export function batchBody(events: Event[], dropped = 0): string {
  const shared: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(events[0]?.context ?? {})) {
    const json = JSON.stringify(value);
    if (events.every((e) => JSON.stringify((e.context as Record<string, unknown> | undefined)?.[key]) === json)) shared[key] = value;
  }
  const anonymousId = events.every((e) => e.anonymousId === events[0]!.anonymousId) ? events[0]?.anonymousId : undefined;
  const slim = events.map(({ context, anonymousId: own, ...rest }) => {
    const left = Object.fromEntries(Object.entries(context ?? {}).filter(([key]) => !(key in shared)));
    return { ...rest, ...(anonymousId ? {} : { anonymousId: own }), ...(Object.keys(left).length ? { context: left } : {}) };
  });
  const extra = { ...(Object.keys(shared).length ? { context: shared } : {}), ...(anonymousId ? { anonymousId } : {}), ...(dropped ? { dropped } : {}) };
  return JSON.stringify({ sentAt: new Date().toISOString(), events: slim, ...extra });
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
