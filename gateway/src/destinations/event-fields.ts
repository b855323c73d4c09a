import type { Event } from '@sluice/protocol';

/** Commerce fields Sluice reads from `properties`; arbitrary properties could carry personal data and are never forwarded. */
export interface Commerce {
  value?: number;
  currency?: string;
  orderId?: string;
  contentIds?: string[];
}

/** Bounds on what is copied from properties (GA4 caps param values at 100 chars, the strictest vendor). */
const MAX_ID_LENGTH = 100;
const MAX_CONTENT_IDS = 50;

/** The documented commerce fields of an event's properties, validated. */
export function commerceOf(event: Event): Commerce {
  const props = event.properties ?? {};
  const out: Commerce = {};
  if (typeof props.value === 'number' && Number.isFinite(props.value)) out.value = props.value;
  if (typeof props.currency === 'string' && /^[A-Za-z]{3}$/.test(props.currency)) out.currency = props.currency.toUpperCase();
  if (typeof props.orderId === 'string' && props.orderId && props.orderId.length <= MAX_ID_LENGTH) out.orderId = props.orderId;
  if (Array.isArray(props.contentIds)) {
    const ids = props.contentIds.filter((id): id is string => typeof id === 'string' && id.length <= MAX_ID_LENGTH);
    if (ids.length) out.contentIds = ids.slice(0, MAX_CONTENT_IDS);
  }
  return out;
}

/** Sluice's event name: the track name, `PageView` for page events, undefined for identify (not a conversion). */
export function sluiceEventName(event: Event): string | undefined {
  if (event.type === 'track') return event.event;
  return event.type === 'page' ? 'PageView' : undefined;
}

/** Event time in whole unix seconds. */
export function eventSeconds(event: Event): number {
  return Math.floor(Date.parse(event.timestamp) / 1000);
}

/**
 * Event time in whole unix seconds, never later than when the gateway received it: device clocks
 * run ahead, and vendors reject future timestamps (capi.md §9.4).
 */
export function eventSecondsAt(event: Event, receivedAt: number): number {
  return Math.min(eventSeconds(event), Math.floor(receivedAt / 1000));
}
