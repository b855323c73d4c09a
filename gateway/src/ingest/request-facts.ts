import type { RequestFacts } from '../destinations/destination.ts';

/** The client IP (set by Cloudflare, not by the client) and user agent of a request. */
export function requestFacts(request: Request): RequestFacts {
  return {
    ip: request.headers.get('cf-connecting-ip') ?? undefined,
    userAgent: request.headers.get('user-agent') ?? undefined,
    receivedAt: Date.now(),
  };
}
