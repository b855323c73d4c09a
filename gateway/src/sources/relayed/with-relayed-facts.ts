import type { Event } from '@sluice/protocol';
import type { RequestFacts } from '../../destinations/destination.ts';
import { serverSourceOf } from './server-source-registry.ts';

/**
 * The request facts of an authenticated server source: none of the sending server's own (its IP,
 * its user agent, its edge country), and per event (`forEvent`) the end user's as the payload relays
 * them: `context.ip` (then minimized by `minimize`, like any IP) and `context.location.country` (or
 * the site's `serverSourceLocation`). The user agent comes from the event's own `context.userAgent`,
 * which destinations already read first. Browser requests' facts are returned unchanged.
 * @example const facts = withRelayedFacts(c.req.raw, minimizeFacts(base, rules), (f) => minimizeFacts(f, rules));
 */
export function withRelayedFacts<F extends RequestFacts>(request: Request, facts: F, minimize: (facts: F) => F): F {
  const source = serverSourceOf(request);
  if (!source) return facts;
  const own: F = { ...facts, ip: undefined, userAgent: undefined, country: source.fallback?.country };
  return {
    ...own,
    forEvent(event: Event): RequestFacts {
      const relayed = source.relayed.get(event.eventId);
      if (!relayed) return own;
      return minimize({ ...own, ip: relayed.ip, country: relayed.location?.country ?? own.country });
    },
  };
}
