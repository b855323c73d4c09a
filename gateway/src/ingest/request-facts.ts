import type { RequestFacts } from '../destinations/destination.ts';
import { requestLocation } from '../consent/request-location.ts';
import { createHashMemo } from '../identity/index.ts';

/**
 * The client IP (set by Cloudflare, not by the client), user agent and edge country of a request,
 * and the request's identity hash memo (each distinct value hashed once per request).
 */
export function requestFacts(request: Request, geoOverride?: unknown): RequestFacts {
  return {
    ip: request.headers.get('cf-connecting-ip') ?? undefined,
    userAgent: request.headers.get('user-agent') ?? undefined,
    receivedAt: Date.now(),
    country: requestLocation(request, geoOverride).country,
    hashes: createHashMemo(),
  };
}
