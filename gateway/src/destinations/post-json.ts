import type { DeliveryTarget, SendOutcome } from './destination.ts';
import { parseRetryAfter } from './retry-after.ts';
import { childSpan, formatTraceparent, parseTraceparent } from '../observability/traceparent.ts';
import { logJson } from '../observability/log-json.ts';

/** Result of one POST: the response, or why there was none (timeout, connection refused). */
export type PostResult = { response: Response } | { networkError: string };

/**
 * POSTs JSON with a client timeout. Never throws: a network failure is a retryable outcome, not an exception.
 * Each POST is a span of a W3C trace: the caller's `traceparent` header names the trace (a new one
 * without it), the vendor receives our span's `traceparent`, and one JSON log line records host,
 * status and duration (never the body or the query).
 */
export async function postJson(url: string, body: unknown, headers: Record<string, string>, timeoutMs: number): Promise<PostResult> {
  const span = childSpan(parseTraceparent(headers.traceparent));
  const started = Date.now();
  const log = (status: number | string) =>
    logJson('info', 'destination post', { traceId: span.traceId, spanId: span.spanId, host: new URL(url).host, status, ms: Date.now() - started });
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers, traceparent: formatTraceparent(span) },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    log(response.status);
    return { response };
  } catch (error) {
    log(`network: ${(error as Error).name}`);
    return { networkError: `network: ${(error as Error).name}` };
  }
}

/** The `traceparent` header a send passes to `postJson`: the ingest request's, when its items carried one. */
export function traceHeaders(target: DeliveryTarget | undefined): Record<string, string> {
  return target?.traceparent ? { traceparent: target.traceparent } : {};
}

/** 429 and 5xx are worth retrying; other 4xx are not (HTTP semantics every vendor here follows). */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 408 || status >= 500;
}

/** A failed outcome carrying the server's Retry-After when it sent one. */
export function failure(response: Response | undefined, retryable: boolean, reason: string, wholeRequest = false): SendOutcome {
  const retryAfterSeconds = response ? parseRetryAfter(response.headers.get('retry-after')) : undefined;
  return {
    ok: false,
    retryable,
    reason,
    ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
    ...(wholeRequest && !retryable ? { wholeRequest } : {}),
  };
}

/** 401/403/404 refuse the request itself (token, permission, unknown account), whatever events it carries. */
export function refusesWholeRequest(status: number): boolean {
  return status === 401 || status === 403 || status === 404;
}

/** Vendor error texts are kept short in logs and D1: enough to act on, never a whole body. */
export const MAX_REASON_LENGTH = 300;

export function shortReason(text: string): string {
  return text.length > MAX_REASON_LENGTH ? `${text.slice(0, MAX_REASON_LENGTH)}…` : text;
}

/** Reads a secret a destination config names; undefined when unset or empty. */
export function readSecret(env: Record<string, unknown>, name: string): string | undefined {
  const value = env[name];
  return typeof value === 'string' && value ? value : undefined;
}
