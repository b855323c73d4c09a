import { z } from 'zod';

/** Browser pixels whose event ids the SDK reports: Meta `fbq`, Google `gtag`, TikTok `ttq`. */
export const PixelVendor = z.enum(['meta', 'google', 'tiktok']);
export type PixelVendor = z.infer<typeof PixelVendor>;

/** Ids per report: a page reports what it handed to pixels since the last report (same cap as a batch). */
export const MAX_PIXEL_IDS_PER_REPORT = 500;
/** A report of 500 UUIDs with vendors stays well under this. */
export const MAX_PIXEL_REPORT_BYTES = 64 * 1024;

/**
 * `POST /v1/pixel-ids?key=<write key>` body: which event ids the page passed to which browser
 * pixel (`fbq('track', name, data, {eventID})`, `gtag('event', name, {transaction_id|event_id})`,
 * `ttq.track(name, data, {event_id})`).
 * @example { "sentAt": "2026-11-28T15:00:00Z", "ids": [{ "eventId": "…uuid…", "vendors": ["meta", "tiktok"] }] }
 */
export const PixelReport = z.strictObject({
  sentAt: z.iso.datetime({ offset: true }),
  ids: z
    .array(z.strictObject({ eventId: z.uuid(), vendors: z.array(PixelVendor).min(1).max(3) }))
    .min(1)
    .max(MAX_PIXEL_IDS_PER_REPORT),
});
export type PixelReport = z.infer<typeof PixelReport>;
