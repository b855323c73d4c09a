import type { Event } from '@sluice/protocol';
import type { ParsedEvents } from '../../ingest/accept-events.ts';
import { serverSourceOf } from './server-source-registry.ts';

/**
 * Takes `context.ip` and `context.location` out of every event before anything else sees the
 * events (so a raw IP is never stored with an event, in quarantine or anywhere), keeping them beside
 * the request by event id for authenticated server sources. From a browser they are dropped: a page
 * cannot claim an IP or a jurisdiction; the connection's count.
 * @example const parsed = takeRelayedFacts(c.req.raw, parsedFromBody);
 */
export function takeRelayedFacts<P extends ParsedEvents>(request: Request, parsed: P): P {
  const source = serverSourceOf(request);
  let changed = false;
  const events = parsed.events.map((entry) => {
    const context = entry.event.context;
    if (!context || (context.ip === undefined && context.location === undefined)) return entry;
    changed = true;
    const { ip, location, ...rest } = context;
    if (source) source.relayed.set(entry.event.eventId, { ip, location: location && { country: location.country?.toUpperCase(), region: location.region?.toUpperCase() } });
    const event = { ...entry.event } as Event;
    if (Object.keys(rest).length) event.context = rest;
    else delete event.context;
    return { ...entry, event };
  });
  return changed ? { ...parsed, events } : parsed;
}
