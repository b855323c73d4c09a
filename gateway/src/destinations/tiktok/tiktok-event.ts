/** One event of TikTok Events API 2.0 (`POST /open_api/v1.3/event/track/`, `data[]`). */
export interface TikTokEvent {
  event: string;
  /** Unix seconds. */
  event_time: number;
  /** Equal to the pixel's `event_id` (`ttq.track(…, {event_id})`) so TikTok deduplicates the pair. */
  event_id: string;
  user: {
    email?: string;
    phone?: string;
    external_id?: string;
    ttclid?: string;
    ttp?: string;
    ip?: string;
    user_agent?: string;
    locale?: string;
  };
  properties?: {
    currency?: string;
    value?: number;
    order_id?: string;
    contents?: Array<{ content_id: string }>;
  };
  page?: { url?: string; referrer?: string };
  limited_data_use: boolean;
}
