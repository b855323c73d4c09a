import { z } from 'zod';
import { MAX_BATCH_EVENTS } from './limits.ts';
import type { Event } from './event.ts';
import type { EventRejection } from './error-codes.ts';

/**
 * The batch envelope. Events are checked one by one (see `Event`) so that one bad event
 * is reported by index while the good ones are accepted.
 */
export const BatchEnvelope = z.strictObject({
  sentAt: z.iso.datetime({ offset: true }),
  events: z.array(z.unknown()).min(1).max(MAX_BATCH_EVENTS),
  /**
   * Context shared by every event of the batch (page, user agent, session, ...), sent once to keep
   * batches small: beacons and keepalive fetches share a 64 KB budget per page. Each event's own
   * `context` keys win; the merged result is validated per event.
   */
  context: z.record(z.string(), z.unknown()).optional(),
  /** The anonymousId of events that carry none (one browser sends one id), for the same reason. */
  anonymousId: z.string().min(1).max(128).optional(),
  /** Events the client's bounded queue had to drop since its last batch (reported, not stored). */
  dropped: z.number().int().min(0).max(1_000_000).optional(),
});
export type BatchEnvelope = z.infer<typeof BatchEnvelope>;

/** A batch as a client sends it. */
export interface Batch {
  sentAt: string;
  events: Event[];
}

/** The gateway's answer to a batch (HTTP 200 even when some events were rejected). */
export interface BatchResult {
  accepted: number;
  /** Events whose `eventId` the gateway had already accepted; dropped without error. */
  duplicates: number;
  rejected: EventRejection[];
  /** The visitor id from the gateway's first-party cookie, for the SDK to adopt (only with storage consent). */
  anonymousId?: string;
}
