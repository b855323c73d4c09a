import type { Location, Policy } from '@sluice/consent';
import type { Event } from '@sluice/protocol';
import { serverSourceOf } from './server-source-registry.ts';
import { strictestLocation } from './strictest-location.ts';

/** Where consent places one event of a server source, and on what basis. */
export interface PlacedEvent {
  location: Location;
  /** `relayed`: the payload's `context.location`; `site-default`: the site's `serverSourceLocation`; `unknown`: the policy's strictest jurisdiction. */
  basis: 'relayed' | 'site-default' | 'unknown';
}

/**
 * The location consent is decided under for an event of an authenticated server source: the
 * payload's `context.location` (country, region), else the site's `serverSourceLocation`, else the
 * policy's strictest jurisdiction (unknown ⇒ consent required). Never the sending server's edge
 * geo. Undefined for browser requests (their connection's location stands).
 * @example relayedLocation(request, event, policy) // { location: { country: 'DE' }, basis: 'relayed' }
 */
export function relayedLocation(request: Request, event: Event, policy: Policy): PlacedEvent | undefined {
  const source = serverSourceOf(request);
  if (!source) return undefined;
  const relayed = source.relayed.get(event.eventId)?.location;
  if (relayed?.country) return { location: relayed, basis: 'relayed' };
  if (source.fallback) return { location: source.fallback, basis: 'site-default' };
  return { location: strictestLocation(policy), basis: 'unknown' };
}

/**
 * The location of a server-source request as a whole, for what is decided per request rather than
 * per event (aggregates, quarantine facts, `/v1/config`): the site's `serverSourceLocation`, else
 * unknown (`{}`). Undefined for browsers.
 * @example requestLocation(request) // calls this first: a server source is never placed by its own edge geo
 */
export function serverSourceLocation(request: Request): Location | undefined {
  const source = serverSourceOf(request);
  return source ? (source.fallback ?? {}) : undefined;
}
