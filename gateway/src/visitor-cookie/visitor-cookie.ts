import type { Event } from '@sluice/protocol';

export const VISITOR_COOKIE = 'sl_aid';
/** Chrome caps cookie lifetimes at 400 days (RFC 6265bis); a server-set cookie is not cut to 7 days by ITP. */
export const VISITOR_COOKIE_MAX_AGE_S = 400 * 86_400;
/** What we accept as a cookie value: the SDK's UUIDs (cookie-safe, nothing personal). */
const VISITOR_ID = /^[A-Za-z0-9-]{8,64}$/;

/** The visitor id from the gateway's own HttpOnly cookie, if the browser sent a valid one. */
export function readVisitorCookie(request: Request): string | undefined {
  const match = (request.headers.get('cookie') ?? '').match(/(?:^|;\s*)sl_aid=([^;]*)/);
  return match && VISITOR_ID.test(match[1]!) ? match[1] : undefined;
}

/**
 * The first-party id cookie, set from the gateway's response: HttpOnly (no script can read or
 * extend it), host-only on the gateway's host (a subdomain of the site, or the site itself).
 */
export function visitorCookie(id: string, secure: boolean, maxAgeSeconds = VISITOR_COOKIE_MAX_AGE_S): string {
  return `${VISITOR_COOKIE}=${id}; Max-Age=${maxAgeSeconds}; Path=/; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`;
}

export interface VisitorResult {
  /** The id the browser should use from now on (absent when no cookie may be set). */
  anonymousId?: string;
  setCookie?: string;
}

/**
 * Applies the visitor cookie to a batch. With storage consent (`?id=1` from the SDK) the cookie's
 * id wins over whatever the page had (script storage may have been wiped: ITP, cleared data), and a
 * new visitor gets one from its own id. Without consent an existing cookie is deleted.
 */
export function applyVisitorCookie(request: Request, events: Event[]): VisitorResult {
  const url = new URL(request.url);
  const secure = url.protocol === 'https:';
  const fromCookie = readVisitorCookie(request);
  if (url.searchParams.get('id') !== '1') {
    return fromCookie ? { setCookie: visitorCookie('', secure, 0) } : {};
  }
  const id = fromCookie ?? events.map((e) => e.anonymousId).find((candidate) => VISITOR_ID.test(candidate));
  if (!id) return {};
  for (const event of events) event.anonymousId = id;
  return { anonymousId: id, setCookie: visitorCookie(id, secure) };
}
