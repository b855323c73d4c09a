import type { Event } from '@sluice/protocol';
import type { PersonalizeOptions } from './rank/rank-types.ts';

/** Options for `init`. */
export interface SluiceOptions {
  /** Gateway origin, e.g. `https://t.shop.example` (first-party) or the page's own origin. */
  endpoint: string;
  /** The site's public write key. */
  writeKey: string;
  /** Send when this many events wait (default 20). */
  batchSize?: number;
  /** Send at most this long after an event was queued (default 1000 ms). */
  flushIntervalMs?: number;
  /** Most events kept while the gateway is unreachable; the oldest are dropped and counted (default 1000). */
  maxQueueSize?: number;
  /**
   * Keep the queue in IndexedDB so reloads and crashes lose nothing (default true). Only used while
   * storage is allowed (`setConsent({ storage })`, or the consent policy); otherwise memory only.
   */
  persist?: boolean;
  /** Read the site's consent policy and the CMP (TCF, GPP, Consent Mode, GPC); loads a separate chunk. */
  consent?: boolean;
  /** Page views on load and on SPA navigations (history API, popstate). */
  autotrack?: boolean;
  /**
   * Rank on the device with this model (`sluice.rank`); loads the `rank` chunk only while consent
   * allows personalization (policy purpose `personalization`, or `setConsent({ personalization })`).
   */
  personalize?: PersonalizeOptions;
  /** Called with anything that went wrong inside the SDK; the SDK itself never throws into the page. */
  onError?: (error: unknown) => void;
}

export type Properties = Record<string, unknown>;
export type UserFields = NonNullable<Event['user']>;

/** Per-call options. */
export interface CallOptions {
  /** Use this id instead of a new UUID (e.g. one already given to a browser pixel). */
  eventId?: string;
}

/** What storage and sending the page (or its CMP) allows right now. */
export interface ConsentState {
  /** May the SDK keep ids and queued events on the device (cookies, localStorage, IndexedDB)? */
  storage?: boolean;
  /**
   * The visitor's choices per category, as the site's own CMP names them (OneTrust `C0002`,
   * Cookiebot `statistics`, ...). The consent policy maps categories to purposes (`signals.cmp`).
   */
  categories?: Record<string, boolean>;
  /** May the SDK rank on the device from the visitor's own interactions? Withdrawing deletes them. */
  personalization?: boolean;
}

/** Counters for the page: what was queued, sent and dropped. */
export interface SluiceStats {
  queued: number;
  sent: number;
  /** Events dropped because the queue was full. */
  droppedOverflow: number;
  /** Events dropped because consent denied them. */
  droppedConsent: number;
}

export type { Event };
