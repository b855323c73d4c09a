import type { MiddlewareHandler } from 'hono';
import type { Env } from '../env.ts';
import { logJson } from './log-json.ts';
import { childSpan, formatTraceparent, parseTraceparent, type TraceContext } from './traceparent.ts';

/** What `observeRequests` puts on the Hono context for handlers further down. */
export interface RequestContextVariables {
  requestId: string;
  trace: TraceContext;
}

const REQUEST_ID = /^[\w.-]{8,64}$/;

/**
 * Gives every request an id (a well-formed incoming `x-request-id`, or a new UUID) and a span in
 * the caller's W3C trace (or a new trace), answers both in headers, and logs one JSON line per
 * request with the matched route *template* (`/v1/admin/sites/:site/policy`) — never the URL,
 * whose query or path could carry personal data. Production can sample the lines of successful
 * requests (`LOG_SUCCESS_SAMPLE = "0.01"`: one in a hundred, each line saying its `sampleRate` so
 * counts can be scaled back); every 4xx and 5xx is logged.
 */
export function observeRequests(): MiddlewareHandler<{ Bindings: Env; Variables: RequestContextVariables }> {
  return async function observe(c, next) {
    const started = Date.now();
    const incoming = c.req.header('x-request-id');
    const requestId = incoming && REQUEST_ID.test(incoming) ? incoming : crypto.randomUUID();
    const trace = childSpan(parseTraceparent(c.req.header('traceparent')));
    c.set('requestId', requestId);
    c.set('trace', trace);
    await next();
    c.header('x-request-id', requestId);
    c.header('traceparent', formatTraceparent(trace));
    const status = c.res.status;
    const rate = successSampleRate(c.env?.LOG_SUCCESS_SAMPLE);
    // Successful requests may be sampled (LOG_SUCCESS_SAMPLE); 4xx and 5xx are always logged, and
    // storage failures log their cause separately (ingest/storage-unavailable.ts).
    if (status < 400 && rate < 1 && !sampled(rate)) return;
    logJson(status >= 500 ? 'error' : 'info', 'request', {
      ...(status < 400 && rate < 1 && { sampleRate: rate }),
      requestId,
      traceId: trace.traceId,
      spanId: trace.spanId,
      method: c.req.method,
      route: c.req.routePath,
      status,
      ms: Date.now() - started,
    });
  };
}

/** `LOG_SUCCESS_SAMPLE` as a rate in [0, 1]; unset or unreadable → 1 (log every request). */
export function successSampleRate(raw: string | undefined): number {
  if (raw === undefined || raw.trim() === '') return 1;
  const rate = Number(raw);
  return Number.isFinite(rate) ? Math.min(1, Math.max(0, rate)) : 1;
}

const draw = new Uint32Array(1);

/** True with probability `rate` (crypto randomness: no Math.random in gateway/src). */
function sampled(rate: number): boolean {
  crypto.getRandomValues(draw);
  return draw[0]! < rate * 2 ** 32;
}
