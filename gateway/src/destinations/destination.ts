import type { Event } from '@sluice/protocol';
import type { Env } from '../env.ts';
import type { HashMemo } from '../identity/index.ts';
import type { UrlRules } from '../minimize/index.ts';

/** Identity problems a destination notes while building an item (counted in its status; never the value). */
export type IdentityIssue = 'invalid_phone';

/** What the gateway knows about the request an event came in on. Lives only for the request. */
export interface RequestFacts {
  ip: string | undefined;
  userAgent: string | undefined;
  receivedAt: number;
  /** Edge geo country of the request (`request.cf.country`); a phone default region only while `ip` is allowed. */
  country?: string | undefined;
  /** The site config's `defaultCountry` (set by `prepareItem`). */
  defaultCountry?: string | undefined;
  /** The request's hash memo: each distinct normalized value hashed once per request. */
  hashes?: HashMemo;
  /** Where `toItem` notes identity issues for this one item (set by `prepareItem`). */
  issues?: Set<IdentityIssue>;
  /** The site's URL and property scrubbing rules (minimize/), for destinations that clean properties themselves (warehouse). */
  urlRules?: UrlRules;
  /** The ingest request's W3C `traceparent` (observability/), carried on the queued messages. */
  traceparent?: string | undefined;
  /**
   * Authenticated server sources: the facts of one event's end user as the payload relays them
   * (`context.ip`, `context.location`), never the sending server's own (sources/relayed/).
   */
  forEvent?(event: Event): RequestFacts;
}

/**
 * What consent allows for one event at one destination, decided by the gateway's consent
 * engine. A denied destination never gets here: `toItem` is not called for it.
 */
export interface DeliveryConsent {
  /** `limited`: the vendor's limited-data-use mode (Meta LDU, TikTok limited_data_use, Google restricted). */
  mode: 'full' | 'limited';
  /** Google Consent Mode v2 values to forward explicitly (GA4 `consent`, Google Ads `consent`). */
  adUserData: 'granted' | 'denied';
  adPersonalization: 'granted' | 'denied';
}

/** The consent to use when a site has no policy: everything granted, as before consent was evaluated. */
export const FULL_CONSENT: DeliveryConsent = { mode: 'full', adUserData: 'granted', adPersonalization: 'granted' };

/** One item of an accepted request that the vendor refused for good (e.g. a Google Ads partial failure row). */
export interface ItemRejection {
  /** Index into the `items` given to `send`. */
  index: number;
  reason: string;
}

/** How a send went. Failure is data: the queue consumer decides retry vs dead letter from it. */
export type SendOutcome =
  | { ok: true; rejected?: ItemRejection[] }
  | {
      ok: false;
      retryable: boolean;
      reason: string;
      retryAfterSeconds?: number;
      /**
       * The vendor refused the request as a whole (credentials, permissions, unknown pixel), not
       * one of its events: splitting the batch cannot help, so a permanent failure dead-letters all items at once.
       */
      wholeRequest?: boolean;
    };

/** Which site and destination (config key) a send is for. */
export interface DeliveryTarget {
  siteId: string;
  destinationKey: string;
  /** W3C `traceparent` of the ingest request the items came from; the POST sends a child span of it. */
  traceparent?: string | undefined;
}

/**
 * A conversion API behind one interface. `toItem` runs at ingest (it hashes; raw personal data
 * never leaves the request), `send` runs in the queue consumer with items only.
 */
export interface Destination<Config, Item> {
  readonly type: string;
  /** Vendor's documented maximum events per request. */
  readonly maxBatchSize: number;
  toItem(event: Event, facts: RequestFacts, config: Config, consent: DeliveryConsent): Promise<Item | null>;
  /** One HTTP request with at most `maxBatchSize` items that share one `batchKey`. `target` names the site and destination key (the warehouse writes per destination). */
  send(items: Item[], config: Config, env: Env, target?: DeliveryTarget): Promise<SendOutcome>;
  /** Items go in one request only when their keys match (GA4: one client and consent per request). */
  batchKey?(item: Item): string;
  /**
   * Why the vendor would refuse this item for its age right now (Meta: older than 7 days), checked
   * just before sending so that one stale item is set aside alone and cannot fail a whole batch.
   */
  staleReason?(item: Item, now: number): string | undefined;
  /** The item as it may be kept in D1 as a dead letter: clear personal identifiers (IP address) removed. */
  forStorage?(item: Item): Item;
}
