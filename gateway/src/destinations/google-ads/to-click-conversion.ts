import type { Event } from '@sluice/protocol';
import type { GoogleAdsDestinationConfig } from '../../site-config/site-config.ts';
import type { DeliveryConsent, RequestFacts } from '../destination.ts';
import { GOOGLE_PROFILE, identityOutcome, identityValue } from '../../identity/index.ts';
import { identityOptions, phoneValue } from '../identity-options.ts';
import { commerceOf, eventSecondsAt, sluiceEventName } from '../event-fields.ts';
import type { ClickConversion, GoogleAdsItem, UserIdentifier } from './click-conversion.ts';

/** Sluice events uploaded when a config lists none. */
export const DEFAULT_CONVERSION_EVENTS = ['Purchase'];

/** Unix seconds → `yyyy-mm-dd hh:mm:ss+00:00` (UTC, with the offset Google requires). */
export function conversionDateTime(seconds: number): string {
  return `${new Date(seconds * 1000).toISOString().slice(0, 19).replace('T', ' ')}+00:00`;
}

/**
 * Maps a conversion event to a click conversion: one click id (gclid, else gbraid, else wbraid),
 * hashed email/phone when ad_user_data is granted. Without any click id or identifier Google
 * cannot attribute the conversion, so nothing is sent.
 */
export async function toClickConversion(
  event: Event,
  facts: RequestFacts,
  config: GoogleAdsDestinationConfig,
  consent: DeliveryConsent,
): Promise<GoogleAdsItem | null> {
  const name = sluiceEventName(event);
  if (!name || !(config.events ?? DEFAULT_CONVERSION_EVENTS).includes(name)) return null;
  const conversion: ClickConversion = {
    conversionAction: `customers/${config.customerId}/conversionActions/${config.conversionActionId}`,
    conversionDateTime: conversionDateTime(eventSecondsAt(event, facts.receivedAt)),
    consent: { adUserData: consent.adUserData === 'granted' ? 'GRANTED' : 'DENIED' },
  };
  const clicks = event.context?.clickIds;
  if (clicks?.gclid) conversion.gclid = clicks.gclid;
  else if (clicks?.gbraid) conversion.gbraid = clicks.gbraid;
  else if (clicks?.wbraid) conversion.wbraid = clicks.wbraid;
  const commerce = commerceOf(event);
  if (commerce.value !== undefined) conversion.conversionValue = commerce.value;
  if (commerce.currency) conversion.currencyCode = commerce.currency;
  if (commerce.orderId) conversion.orderId = commerce.orderId;
  if (consent.adUserData === 'granted') {
    const identifiers = await userIdentifiers(event, facts);
    if (identifiers.length) conversion.userIdentifiers = identifiers;
  }
  const attributable = conversion.gclid || conversion.gbraid || conversion.wbraid || conversion.userIdentifiers;
  return attributable ? { event_id: event.eventId, conversion } : null;
}

async function userIdentifiers(event: Event, facts: RequestFacts): Promise<UserIdentifier[]> {
  const out: UserIdentifier[] = [];
  const options = identityOptions(event, facts);
  const email = await identityValue(GOOGLE_PROFILE, 'email', event.user?.email, options);
  const phone = phoneValue(identityOutcome(GOOGLE_PROFILE, 'phone', event.user?.phone, options), facts);
  if (email) out.push({ hashedEmail: email });
  if (phone) out.push({ hashedPhoneNumber: phone });
  return out;
}
