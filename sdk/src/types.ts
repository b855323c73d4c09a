import type { Event } from '@sluice/protocol';

/** Options for `init`. */
export interface SluiceOptions {
  /** Gateway origin, e.g. `https://t.shop.example` (first-party) or the page's own origin. */
  endpoint: string;
  /** The site's public write key. */
  writeKey: string;
  /** Send when this many events are waiting (default 20). */
  batchSize?: number;
  /** Send at most this long after the first waiting event (default 1000 ms). */
  flushIntervalMs?: number;
  /** Called with anything that went wrong inside the SDK; the SDK itself never throws into the page. */
  onError?: (error: unknown) => void;
}

export type Properties = Record<string, unknown>;
export type UserFields = NonNullable<Event['user']>;
export type { Event };
