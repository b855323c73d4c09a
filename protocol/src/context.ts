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

/** Where and how an event happened. The gateway adds the IP itself; clients cannot set it. */
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
});
export type EventContext = z.infer<typeof EventContext>;
