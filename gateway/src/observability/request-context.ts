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
 * whose query or path could carry personal data.
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
    logJson(c.res.status >= 500 ? 'error' : 'info', 'request', {
      requestId,
      traceId: trace.traceId,
      spanId: trace.spanId,
      method: c.req.method,
      route: c.req.routePath,
      status: c.res.status,
      ms: Date.now() - started,
    });
  };
}
