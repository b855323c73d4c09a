/**
 * Server sources relay their end users' facts: an authenticated server (write key + source secret)
 * is never located by its own IP or edge geo; each event's `context.ip`, `context.userAgent` and
 * `context.location` stand in, else the site's `serverSourceLocation`, else the strictest reading.
 * @example markServerSource(c.req.raw, site); const parsed = takeRelayedFacts(c.req.raw, parsedEvents);
 */
export { markServerSource, serverSourceOf, type ServerSource, type RelayedFacts } from './server-source-registry.ts';
export { takeRelayedFacts } from './take-relayed-facts.ts';
export { withRelayedFacts } from './with-relayed-facts.ts';
export { relayedLocation, serverSourceLocation, type PlacedEvent } from './relayed-location.ts';
export { strictestLocation } from './strictest-location.ts';
export { perEventPlace } from './per-event-place.ts';
