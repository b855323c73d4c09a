import type { Event } from '@sluice/protocol';
import type { CallOptions, Properties, UserFields } from './types.ts';
import { captureAttribution } from './identity/attribution.ts';
import { vendorCookies } from './identity/vendor-cookies.ts';
import { sessionId, visitorId } from './identity/visitor.ts';
import { uuid } from './uuid.ts';

/** What identify() remembers for later events. */
export interface Identity {
  userId?: string;
  user?: UserFields;
}

type Body = { type: 'track'; event: string } | { type: 'page'; name?: string } | { type: 'identify' };

/** Builds a wire event: ids, time, page context, click ids, UTM and vendor cookies. No consent yet. */
export function buildEvent(body: Body, identity: Identity, properties?: Properties, user?: UserFields, options?: CallOptions, referrer?: string): Event {
  const attribution = captureAttribution(location.href);
  const cookies = vendorCookies(attribution.clickIds?.fbclid, attribution.fbclidAt);
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
