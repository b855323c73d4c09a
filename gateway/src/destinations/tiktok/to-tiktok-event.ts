import type { Event } from '@sluice/protocol';
import type { DeliveryConsent, RequestFacts } from '../destination.ts';
import { TIKTOK_PROFILE, identityOutcome, identityValue } from '../../identity/index.ts';
import { identityOptions, phoneValue } from '../identity-options.ts';
import { commerceOf, eventSecondsAt, sluiceEventName } from '../event-fields.ts';
import type { TikTokEvent } from './tiktok-event.ts';

/** Sluice (Meta-style) names that TikTok spells differently; others pass as they are. */
const TIKTOK_NAMES: Record<string, string> = {
  PageView: 'Pageview',
  Purchase: 'CompletePayment',
  Lead: 'SubmitForm',
};

/** Maps a Sluice event to a TikTok web event; email, phone and external id hashed. Identify events are not sent. */
export async function toTikTokEvent(event: Event, facts: RequestFacts, consent: DeliveryConsent): Promise<TikTokEvent | null> {
  const name = sluiceEventName(event);
  if (!name) return null;
  const item: TikTokEvent = {
    event: TIKTOK_NAMES[name] ?? name,
    event_time: eventSecondsAt(event, facts.receivedAt),
    event_id: event.eventId,
    user: await tikTokUser(event, facts),
    limited_data_use: consent.mode === 'limited',
  };
  const commerce = commerceOf(event);
  const properties: NonNullable<TikTokEvent['properties']> = {};
  if (commerce.currency) properties.currency = commerce.currency;
  if (commerce.value !== undefined) properties.value = commerce.value;
  if (commerce.orderId) properties.order_id = commerce.orderId;
  if (commerce.contentIds) properties.contents = commerce.contentIds.map((id) => ({ content_id: id }));
  if (Object.keys(properties).length) item.properties = properties;
  const page = event.context?.page;
  if (page?.url || page?.referrer) item.page = { ...(page.url && { url: page.url }), ...(page.referrer && { referrer: page.referrer }) };
  return item;
}

async function tikTokUser(event: Event, facts: RequestFacts): Promise<TikTokEvent['user']> {
  const user: TikTokEvent['user'] = {};
  const options = identityOptions(event, facts);
  const email = await identityValue(TIKTOK_PROFILE, 'email', event.user?.email, options);
  const phone = phoneValue(identityOutcome(TIKTOK_PROFILE, 'phone', event.user?.phone, options), facts);
  const externalId = await identityValue(TIKTOK_PROFILE, 'externalId', event.user?.externalId ?? event.userId, options);
  if (email) user.email = email;
  if (phone) user.phone = phone;
  if (externalId) user.external_id = externalId;
  const ttclid = event.context?.clickIds?.ttclid;
  if (ttclid) user.ttclid = ttclid;
  const ttp = event.context?.cookies?.ttp;
  if (ttp) user.ttp = ttp;
  if (facts.ip) user.ip = facts.ip;
  const ua = event.context?.userAgent ?? facts.userAgent;
  if (ua) user.user_agent = ua;
  if (event.context?.locale) user.locale = event.context.locale;
  return user;
}
