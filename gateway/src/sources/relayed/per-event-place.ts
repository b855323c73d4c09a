import type { Location, Policy } from '@sluice/consent';
import type { Event } from '@sluice/protocol';
import { relayedLocation } from './relayed-location.ts';

/**
 * For code that decides once per location (a consent check, an evaluator): per event, the value
 * built for where that event's end user is — the relayed place for a server source (else its site
 * default, else the policy's strictest jurisdiction), the request's own `location` for browsers —
 * and the country to report it under (none when the place is unknown: the strict stand-in is not a
 * country to count under). One `build` per distinct place.
 * @example const placed = perEventPlace(request, live?.policy, location, (at) => reportingConsent(live, purpose, headers, at));
 * const { value: consented, country } = placed(event);
 */
export function perEventPlace<T>(request: Request, policy: Policy | undefined, location: Location, build: (location: Location) => T): (event: Event) => { value: T; country: string | undefined } {
  const built = new Map<string, T>();
  const at = (place: Location) => {
    const key = `${place.country ?? ''}|${place.region ?? ''}`;
    if (!built.has(key)) built.set(key, build(place));
    return built.get(key)!;
  };
  return (event) => {
    const placed = policy ? relayedLocation(request, event, policy) : undefined;
    if (!placed) return { value: at(location), country: location.country };
    return { value: at(placed.location), country: placed.basis === 'unknown' ? undefined : placed.location.country };
  };
}
