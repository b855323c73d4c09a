import type { Event } from '@sluice/protocol';
import type { CallOptions, Properties, UserFields } from './types.ts';
import { captureAttribution, type Attribution } from './identity/attribution.ts';
import { vendorCookies, type VendorCookies } from './identity/vendor-cookies.ts';
import { sessionId, visitorId } from './identity/visitor.ts';
import { uuid } from './uuid.ts';

/** What identify() remembers for later events. */
export interface Identity {
  userId?: string;
  user?: UserFields;
}

type Body = { type: 'track'; event: string } | { type: 'page'; name?: string } | { type: 'identify' };

let attributionFor: { href: string; value: Attribution } | undefined;
let cookiesFor: { jar: string; value: VendorCookies } | undefined;

/** Attribution changes only with the URL, vendor cookies only with document.cookie: a burst of events reads each once. */
function pageAttribution(): { attribution: Attribution; cookies: VendorCookies } {
  if (attributionFor?.href !== location.href) attributionFor = { href: location.href, value: captureAttribution(location.href) };
  const attribution = attributionFor.value;
  const jar = readJar();
  if (cookiesFor?.jar !== jar) {
    cookiesFor = { jar, value: vendorCookies(attribution.clickIds?.fbclid, attribution.fbclidAt) };
    cookiesFor.jar = readJar(); // vendorCookies may have just written _fbp/_fbc
  }
  return { attribution, cookies: cookiesFor.value };
}

function readJar(): string {
  try {
    return document.cookie;
  } catch {
    return '';
  }
}

/** Builds a wire event: ids, time, page context, click ids, UTM and vendor cookies. No consent yet. */
export function buildEvent(body: Body, identity: Identity, properties?: Properties, user?: UserFields, options?: CallOptions, referrer?: string): Event {
  const { attribution, cookies } = pageAttribution();
  const merged = user ?? identity.user;
  return {
    ...body,
    eventId: options?.eventId ?? uuid(),
    timestamp: new Date().toISOString(),
    anonymousId: visitorId(),
    ...(identity.userId ? { userId: identity.userId } : {}),
    ...(properties ? { properties } : {}),
    ...(merged ? { user: merged } : {}),
    context: {
      page: { url: location.href, referrer: referrer ?? document.referrer, title: document.title },
      userAgent: navigator.userAgent,
      locale: navigator.language,
      sessionId: sessionId(),
      ...(attribution.clickIds ? { clickIds: attribution.clickIds } : {}),
      ...(attribution.utm ? { utm: attribution.utm } : {}),
      ...(Object.keys(cookies).length ? { cookies } : {}),
    },
  } as Event;
}
