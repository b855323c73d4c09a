import type { TikTokDestinationConfig } from '../../site-config/site-config.ts';
import type { Destination } from '../destination.ts';
import { staleAfter } from '../stale-after.ts';
import { sendToTikTok } from './send-to-tiktok.ts';
import type { TikTokEvent } from './tiktok-event.ts';
import { toTikTokEvent } from './to-tiktok-event.ts';

/** Events per request (Events API 2.0: 1,000 [unverified]). */
export const TIKTOK_MAX_BATCH = 1000;
/** Web events older than 7 days are refused [unverified]; a minute of margin for the trip. */
export const TIKTOK_MAX_EVENT_AGE_S = 7 * 24 * 3600 - 60;

const isStale = staleAfter('tiktok', TIKTOK_MAX_EVENT_AGE_S, 7);

/** TikTok Events API 2.0, web events. */
export const tiktokDestination: Destination<TikTokDestinationConfig, TikTokEvent> = {
  type: 'tiktok',
  maxBatchSize: TIKTOK_MAX_BATCH,
  toItem: (event, facts, _config, consent) => toTikTokEvent(event, facts, consent),
  send: sendToTikTok,
  staleReason: (item, now) => isStale(item.event_time, now),
  forStorage: ({ user: { ip: _ip, ...user }, ...item }) => ({ ...item, user }),
};
