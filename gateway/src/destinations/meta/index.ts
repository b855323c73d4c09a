import type { MetaDestinationConfig } from '../../site-config/site-config.ts';
import type { Destination } from '../destination.ts';
import type { MetaServerEvent } from './meta-event.ts';
import { sendToMeta } from './send-to-meta.ts';
import { toMetaEvent } from './to-meta-event.ts';

/** Meta Conversions API. At most 1,000 events per request (Conversions API, "Using the API"). */
export const metaDestination: Destination<MetaDestinationConfig, MetaServerEvent> = {
  type: 'meta',
  maxBatchSize: 1000,
  toItem: (event, facts) => toMetaEvent(event, facts),
  send: sendToMeta,
};
