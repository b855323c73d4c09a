import type { Env } from '../env.ts';
import { PIXEL_VENDOR } from '../destinations/registry.ts';
import type { SiteConfig } from '../site-config/site-config.ts';

/** Default look-back of the report: Meta deduplicates within 48 h, a week shows a trend. */
export const DEDUP_REPORT_DEFAULT_DAYS = 7;

/** Per destination: of the server events delivered, how many ids the matching browser pixel also used. */
export interface DedupShare {
  type: string;
  pixel: string;
  serverEvents: number;
  alsoSentByPixel: number;
  /** alsoSentByPixel / serverEvents, or null when nothing was delivered. */
  share: number | null;
}

/**
 * The dedup auditor's report. A share near 0 while the browser pixel is installed means the pixel
 * and the server use different event ids: every conversion is counted twice.
 */
export async function dedupReport(env: Env, site: SiteConfig, since: number): Promise<Record<string, DedupShare>> {
  const out: Record<string, DedupShare> = {};
  for (const [key, config] of Object.entries(site.destinations)) {
    const pixel = PIXEL_VENDOR[config.type];
    if (pixel === null) continue;
    const row = await env.DB.prepare(
      `SELECT COUNT(*) AS total, COUNT(p.event_id) AS matched
         FROM delivered_events d
         LEFT JOIN pixel_event_ids p ON p.site_id = d.site_id AND p.vendor = ? AND p.event_id = d.event_id
        WHERE d.site_id = ? AND d.destination = ? AND d.delivered_at >= ?`,
    )
      .bind(pixel, site.id, key, since)
      .first<{ total: number; matched: number }>();
    const total = row?.total ?? 0;
    const matched = row?.matched ?? 0;
    out[key] = { type: config.type, pixel, serverEvents: total, alsoSentByPixel: matched, share: total ? matched / total : null };
  }
  return out;
}
