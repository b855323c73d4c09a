import type { Event } from '@sluice/protocol';
import type { DeliveryConsent, RequestFacts } from '../destination.ts';
import { GOOGLE_PROFILE, identityOutcome, identityValue } from '../../identity/index.ts';
import { identityOptions, phoneValue } from '../identity-options.ts';
import { commerceOf, eventSecondsAt, sluiceEventName } from '../event-fields.ts';
import { ga4EventName } from './ga4-event-name.ts';
import type { Ga4ConsentValue, Ga4Item, Ga4UserData } from './ga4-item.ts';

/** MP param values are at most 100 characters. */
export const GA4_MAX_PARAM_VALUE = 100;
/** GA4 shows MP events in reports (not only Realtime) only with an engagement time; 1 ms is the usual minimum. */
const MIN_ENGAGEMENT_MS = 1;

/** `_ga` cookie `GA1.1.<random>.<seconds>` → client id `<random>.<seconds>` (the id gtag reports). */
export function clientIdFromGaCookie(cookie: string | undefined): string | undefined {
  const match = /^GA\d\.\d+\.(\d+\.\d+)$/.exec(cookie ?? '');
  return match?.[1];
}

/** Maps a Sluice event to one GA4 MP event with its request-level fields. Identify events are not sent. */
export async function toGa4Item(event: Event, facts: RequestFacts, consent: DeliveryConsent): Promise<Ga4Item | null> {
  const name = sluiceEventName(event);
  const ga4Name = name && ga4EventName(name);
  if (!ga4Name) return null;
  const item: Ga4Item = {
    client_id: clientIdFromGaCookie(event.context?.cookies?.ga) ?? event.anonymousId,
    consent: { ad_user_data: gcm(consent.adUserData), ad_personalization: gcm(consent.adPersonalization) },
    event_id: event.eventId,
    event: { name: ga4Name, timestamp_micros: eventSecondsAt(event, facts.receivedAt) * 1_000_000, params: params(event) },
  };
  // user_provided_data needs a user_id; GA4 takes it in clear, so one that is an email or a phone number is not sent.
  if (event.userId && !looksLikeContact(event.userId)) item.user_id = event.userId;
  if (item.user_id && consent.adUserData === 'granted') {
    const userData = await ga4UserData(event, facts);
    if (userData) item.user_data = userData;
  }
  return item;
}

/** An email address or a phone number used as a user id (both are personal data GA4 must not get in clear). */
export function looksLikeContact(value: string): boolean {
  return value.includes('@') || /^\+?[\d\s().-]{7,}$/.test(value.trim());
}

function gcm(value: 'granted' | 'denied'): Ga4ConsentValue {
  return value === 'granted' ? 'GRANTED' : 'DENIED';
}

function params(event: Event): Ga4Item['event']['params'] {
  const out: Ga4Item['event']['params'] = { engagement_time_msec: MIN_ENGAGEMENT_MS };
  const sessionId = event.context?.sessionId;
  if (sessionId && /^\d{1,20}$/.test(sessionId)) out.session_id = sessionId;
  const commerce = commerceOf(event);
  if (commerce.value !== undefined) out.value = commerce.value;
  if (commerce.currency) out.currency = commerce.currency;
  if (commerce.orderId) out.transaction_id = commerce.orderId;
  if (commerce.contentIds) out.items = commerce.contentIds.map((id) => ({ item_id: id }));
  const page = event.context?.page;
  if (page?.url) out.page_location = page.url.slice(0, GA4_MAX_PARAM_VALUE);
  if (page?.referrer) out.page_referrer = page.referrer.slice(0, GA4_MAX_PARAM_VALUE);
  return out;
}

async function ga4UserData(event: Event, facts: RequestFacts): Promise<Ga4UserData | undefined> {
  const user = event.user ?? {};
  const data: Ga4UserData = {};
  const options = identityOptions(event, facts);
  const email = await identityValue(GOOGLE_PROFILE, 'email', user.email, options);
  const phone = phoneValue(identityOutcome(GOOGLE_PROFILE, 'phone', user.phone, options), facts);
  if (email) data.sha256_email_address = [email];
  if (phone) data.sha256_phone_number = [phone];
  const address = {
    sha256_first_name: await identityValue(GOOGLE_PROFILE, 'firstName', user.firstName, options),
    sha256_last_name: await identityValue(GOOGLE_PROFILE, 'lastName', user.lastName, options),
    city: await identityValue(GOOGLE_PROFILE, 'city', user.city, options),
    region: await identityValue(GOOGLE_PROFILE, 'region', user.region, options),
    postal_code: await identityValue(GOOGLE_PROFILE, 'postalCode', user.postalCode, options),
    country: await identityValue(GOOGLE_PROFILE, 'country', user.country, options),
  };
  const present = Object.fromEntries(Object.entries(address).filter(([, v]) => v !== undefined));
  if (Object.keys(present).length) data.address = [present];
  return Object.keys(data).length ? data : undefined;
}
