import { ErrorCode, type Event } from '@sluice/protocol';
import type { ParsedEvents } from '../../ingest/accept-events.ts';
import { serverSourceOf } from './server-source-registry.ts';

/**
 * Takes `context.ip` and `context.location` out of every event before anything else sees the
 * events (so a raw IP is never stored with an event, in quarantine or anywhere), keeping them beside
 * the request by event id for authenticated server sources. A browser cannot claim an IP or a
 * jurisdiction (its connection's count): its events that try are rejected by index, as before
 * server sources could relay them.
 * @example const parsed = takeRelayedFacts(c.req.raw, parsedFromBody);
 */
export function takeRelayedFacts<P extends ParsedEvents>(request: Request, parsed: P): P {
  const source = serverSourceOf(request);
  if (!parsed.events.some((e) => e.event.context?.ip !== undefined || e.event.context?.location !== undefined)) return parsed;
  const out: P = { ...parsed, events: [], rejected: [...parsed.rejected] };
  for (const entry of parsed.events) {
    const context = entry.event.context;
    if (!context || (context.ip === undefined && context.location === undefined)) {
      out.events.push(entry);
      continue;
    }
    if (!source) {
      out.rejected.push({ index: entry.index, code: ErrorCode.InvalidEvent, message: 'context.ip, context.location: only server sources (write key + source secret) relay them; a page\'s come from its connection' });
      continue;
    }
    const { ip, location, ...rest } = context;
    source.relayed.set(entry.event.eventId, { ip, location: location && { country: location.country?.toUpperCase(), region: location.region?.toUpperCase() } });
    const event = { ...entry.event } as Event;
    if (Object.keys(rest).length) event.context = rest;
    else delete event.context;
    out.events.push({ ...entry, event });
  }
  out.rejected.sort((a, b) => a.index - b.index);
  return out;
}
