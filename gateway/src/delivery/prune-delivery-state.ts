import type { Env } from '../env.ts';

const DAY_MS = 86_400_000;
/**
 * Delivered ids are kept 30 days: far past every vendor's dedup window (Meta 48 h) and the
 * dedup audit's 7-day default, long enough to stop a late replay of an already delivered event.
 */
export const DELIVERED_RETENTION_DAYS = 30;
/** Pixel reports only matter while the server events they match are kept. */
export const PIXEL_IDS_RETENTION_DAYS = 30;
/** The delivery log backs the status page and last errors; 90 days covers a quarter of history. */
export const DELIVERY_LOG_RETENTION_DAYS = 90;

/** Deletes delivery state past its retention (run daily by the cron trigger). Dead letters stay until replayed or purged by an admin. */
export async function pruneDeliveryState(env: Env, now = Date.now()): Promise<void> {
  await env.DB.batch([
    env.DB.prepare('DELETE FROM delivered_events WHERE delivered_at < ?').bind(now - DELIVERED_RETENTION_DAYS * DAY_MS),
    env.DB.prepare('DELETE FROM pixel_event_ids WHERE reported_at < ?').bind(now - PIXEL_IDS_RETENTION_DAYS * DAY_MS),
    env.DB.prepare('DELETE FROM delivery_log WHERE created_at < ?').bind(now - DELIVERY_LOG_RETENTION_DAYS * DAY_MS),
  ]);
}
