import { z } from 'zod';

const text = z.string().max(2048);

/** Click ids captured from the landing URL, kept for their vendor's attribution window. */
export const ClickIds = z.strictObject({
  fbclid: z.string().max(512).optional(),
  gclid: z.string().max(512).optional(),
  wbraid: z.string().max(512).optional(),
  gbraid: z.string().max(512).optional(),
  ttclid: z.string().max(512).optional(),
  msclkid: z.string().max(512).optional(),
});
export type ClickIds = z.infer<typeof ClickIds>;

export const Utm = z.strictObject({
  source: z.string().max(256).optional(),
  medium: z.string().max(256).optional(),
  campaign: z.string().max(256).optional(),
  term: z.string().max(256).optional(),
  content: z.string().max(256).optional(),
});
export type Utm = z.infer<typeof Utm>;

/**
 * Where the end user was, as an authenticated server source relays it (`context.location`): ISO
 * 3166-1 alpha-2 country and subdivision (`CA` or `US-CA`). Honoured only from server sources.
 */
export const RelayedLocation = z.strictObject({
  country: z.string().regex(/^[A-Za-z]{2}$/).optional(),
  region: z.string().regex(/^([A-Za-z]{2}-)?[A-Za-z0-9]{1,3}$/).optional(),
});
export type RelayedLocation = z.infer<typeof RelayedLocation>;

/**
 * Where and how an event happened. For browsers the gateway takes the IP and location from the
 * connection itself; `ip` and `location` are read only from authenticated server sources (write key
 * + source secret), which relay their end users' (gateway `sources/`), and removed from every event
 * at ingest before anything else sees it.
 */
export const EventContext = z.strictObject({
  page: z
    .strictObject({ url: text.optional(), referrer: text.optional(), title: z.string().max(512).optional() })
    .optional(),
  userAgent: z.string().max(1024).optional(),
  locale: z.string().max(35).optional(),
  clickIds: ClickIds.optional(),
  utm: Utm.optional(),
  /**
   * Meta browser cookie values (`_fbp`, `_fbc`), TikTok's `_ttp` and Google Analytics' `_ga`
   * (its client id), forwarded unhashed as the vendors require.
   */
  cookies: z
    .strictObject({
      fbp: z.string().max(256).optional(),
      fbc: z.string().max(512).optional(),
      ttp: z.string().max(256).optional(),
      ga: z.string().max(128).optional(),
    })
    .optional(),
  sessionId: z.string().max(64).optional(),
  /** The end user's IP as a server source saw it (ignored from browsers); minimized like any IP. */
  ip: z.union([z.ipv4(), z.ipv6()]).optional(),
  /** The end user's location as a server source knows it (ignored from browsers). */
  location: RelayedLocation.optional(),
});
export type EventContext = z.infer<typeof EventContext>;
