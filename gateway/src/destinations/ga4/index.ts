import type { Ga4DestinationConfig } from '../../site-config/site-config.ts';
import type { Destination } from '../destination.ts';
import type { Ga4Item } from './ga4-item.ts';
import { sendToGa4 } from './send-to-ga4.ts';
import { toGa4Item } from './to-ga4-item.ts';

/** At most 25 events per request (Measurement Protocol limits). */
export const GA4_MAX_BATCH = 25;
/** Events can be backdated up to 72 hours (`timestamp_micros`); a minute of margin for the trip. */
export const GA4_MAX_EVENT_AGE_US = (72 * 3600 - 60) * 1_000_000;

/** GA4 Measurement Protocol (web). One request carries one client, so items batch by client, user, consent and user data. */
export const ga4Destination: Destination<Ga4DestinationConfig, Ga4Item> = {
  type: 'ga4',
  maxBatchSize: GA4_MAX_BATCH,
  toItem: (event, facts, _config, consent) => toGa4Item(event, facts, consent),
  send: sendToGa4,
  batchKey: (item) => JSON.stringify([item.client_id, item.user_id ?? null, item.consent, item.user_data ?? null]),
  staleReason: (item, now) =>
    item.event.timestamp_micros < now * 1000 - GA4_MAX_EVENT_AGE_US ? 'stale: ga4 timestamp_micros is older than 72 hours' : undefined,
};
