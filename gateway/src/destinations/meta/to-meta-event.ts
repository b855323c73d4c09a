import type { Event } from '@sluice/protocol';
import type { RequestFacts } from '../destination.ts';
import { hashNormalized } from '../../identity/sha256.ts';
import { normalizeEmail, normalizeName, normalizePhoneDigits } from '../../identity/normalize.ts';
import type { MetaServerEvent, MetaUserData } from './meta-event.ts';

/** Maps a Sluice event to a Meta server event, hashing contact fields on the way. */
export async function toMetaEvent(event: Event, facts: RequestFacts): Promise<MetaServerEvent> {
  const item: MetaServerEvent = {
    event_name: eventName(event),
    event_time: Math.floor(Date.parse(event.timestamp) / 1000),
    event_id: event.eventId,
    action_source: 'website',
    user_data: await metaUserData(event, facts),
  };
  if (event.context?.page?.url) item.event_source_url = event.context.page.url;
  const custom = customData(event.properties);
  if (custom) item.custom_data = custom;
  return item;
}

function eventName(event: Event): string {
  if (event.type === 'track') return event.event;
  return event.type === 'page' ? 'PageView' : 'Identify';
}

async function metaUserData(event: Event, facts: RequestFacts): Promise<MetaUserData> {
  const user = event.user ?? {};
  const data: MetaUserData = {};
  const put = async (key: 'em' | 'ph' | 'fn' | 'ln' | 'external_id', normalized: string | undefined) => {
    if (normalized) data[key] = [await hashNormalized(normalized)];
  };
  await put('em', user.email && normalizeEmail(user.email));
  await put('ph', user.phone && normalizePhoneDigits(user.phone));
  await put('fn', user.firstName && normalizeName(user.firstName));
  await put('ln', user.lastName && normalizeName(user.lastName));
  await put('external_id', user.externalId?.trim() ?? event.userId);
  if (facts.ip) data.client_ip_address = facts.ip;
  const ua = event.context?.userAgent ?? facts.userAgent;
  if (ua) data.client_user_agent = ua;
  if (event.context?.cookies?.fbp) data.fbp = event.context.cookies.fbp;
  if (event.context?.cookies?.fbc) data.fbc = event.context.cookies.fbc;
  return data;
}

/** Only the commerce fields Meta defines; arbitrary properties could carry personal data. */
function customData(props: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!props) return undefined;
  const out: Record<string, unknown> = {};
  if (typeof props.value === 'number' && Number.isFinite(props.value)) out.value = props.value;
  if (typeof props.currency === 'string' && /^[A-Za-z]{3}$/.test(props.currency)) out.currency = props.currency.toUpperCase();
  if (typeof props.orderId === 'string') out.order_id = props.orderId;
  if (Array.isArray(props.contentIds)) out.content_ids = props.contentIds.filter((id) => typeof id === 'string');
  return Object.keys(out).length ? out : undefined;
}
