import { generalizeIp } from '@sluice/consent';
import type { Event } from '@sluice/protocol';
import { WAREHOUSE_PROFILE, identityValue } from '../../identity/index.ts';
import type { DeliveryConsent, RequestFacts } from '../destination.ts';
import { warehouseProperties } from './warehouse-properties.ts';
import type { WarehouseRow } from './warehouse-schema.ts';

/** The usual anonymisation of an address: its /24 (IPv4) or /48 (IPv6) network. */
export const WAREHOUSE_IPV4_PREFIX = 24;
export const WAREHOUSE_IPV6_PREFIX = 48;

/**
 * Maps a consented, minimized event to its warehouse row, in memory at ingest: identities hashed
 * per WAREHOUSE_PROFILE, IP truncated, properties cleaned. Every event type lands (identify too).
 * The event time is never later than receipt (device clocks run ahead).
 * @example await toWarehouseRow(event, facts, FULL_CONSENT) // { event_id, event_name: 'Purchase', email_hash: 'a1b2…', ip_truncated: '203.0.113.0', … }
 */
export async function toWarehouseRow(event: Event, facts: RequestFacts, consent: DeliveryConsent): Promise<WarehouseRow> {
  const context = event.context;
  const hash = (field: 'email' | 'phone' | 'externalId', raw: string | undefined) =>
    identityValue(WAREHOUSE_PROFILE, field, raw).then((v) => v ?? null);
  const eventTime = Date.parse(event.timestamp);
  return {
    event_id: event.eventId,
    event_type: event.type,
    event_name: event.type === 'track' ? event.event : event.type === 'page' ? 'PageView' : 'Identify',
    event_time: Number.isFinite(eventTime) ? Math.min(eventTime, facts.receivedAt) : facts.receivedAt,
    received_at: facts.receivedAt,
    anonymous_id_hash: await hash('externalId', event.anonymousId),
    email_hash: await hash('email', event.user?.email),
    phone_hash: await hash('phone', event.user?.phone),
    external_id_hash: await hash('externalId', event.user?.externalId ?? event.userId),
    ip_truncated: facts.ip ? (generalizeIp(facts.ip, WAREHOUSE_IPV4_PREFIX, WAREHOUSE_IPV6_PREFIX) ?? null) : null,
    user_agent: context?.userAgent ?? facts.userAgent ?? null,
    locale: context?.locale ?? null,
    page_url: context?.page?.url ?? null,
    page_referrer: context?.page?.referrer ?? null,
    page_title: context?.page?.title ?? null,
    utm_source: context?.utm?.source ?? null,
    utm_medium: context?.utm?.medium ?? null,
    utm_campaign: context?.utm?.campaign ?? null,
    session_id: context?.sessionId ?? null,
    consent_mode: consent.mode,
    properties: event.properties ? warehouseProperties(event.properties, facts.urlRules) : null,
  };
}
