import type { MetaDestinationConfig } from '../../site-config/site-config.ts';
import type { Destination } from '../destination.ts';
import { staleAfter } from '../stale-after.ts';
import type { MetaServerEvent } from './meta-event.ts';
import { sendToMeta } from './send-to-meta.ts';
import { toMetaEvent } from './to-meta-event.ts';

/** At most 1,000 events per request (Conversions API, "Using the API"). */
export const META_MAX_BATCH = 1000;
/**
 * "If any event_time in data is greater than 7 days in the past, we return an error for the entire
 * request" (server-event parameters). A minute of margin covers the trip to Meta.
 */
export const META_MAX_EVENT_AGE_S = 7 * 24 * 3600 - 60;

const isStale = staleAfter('meta', META_MAX_EVENT_AGE_S, 7);

/** Meta Conversions API. */
export const metaDestination: Destination<MetaDestinationConfig, MetaServerEvent> = {
  type: 'meta',
  maxBatchSize: META_MAX_BATCH,
  toItem: (event, facts, _config, consent) => toMetaEvent(event, facts, consent),
  send: sendToMeta,
  staleReason: (item, now) => isStale(item.event_time, now),
  forStorage: ({ user_data: { client_ip_address: _ip, ...userData }, ...item }) => ({ ...item, user_data: userData }),
};
