/** "Where did my event go": per destination fate of a page's own events. */
export { eventFateRoute, MAX_FATE_IDS } from './event-fate-route.ts';
export { eventFates, fateOf, FATE_LOOKBACK_MS, type Fate, type DestinationFate } from './event-fate.ts';
