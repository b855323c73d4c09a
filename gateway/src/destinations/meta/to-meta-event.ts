import type { Event } from '@sluice/protocol';
import type { DeliveryConsent, RequestFacts } from '../destination.ts';
import { META_PROFILE, identityOutcome, type IdentityField } from '../../identity/index.ts';
import { identityOptions, phoneValue } from '../identity-options.ts';
import { commerceOf, eventSecondsAt, sluiceEventName } from '../event-fields.ts';
import type { MetaServerEvent, MetaUserData } from './meta-event.ts';

/** Meta user_data keys for each identity field (customer information parameters). */
const META_KEYS = {
  email: 'em', phone: 'ph', firstName: 'fn', lastName: 'ln', city: 'ct', region: 'st', postalCode: 'zp',
  country: 'country', birthdate: 'db', gender: 'ge', externalId: 'external_id',
} as const satisfies Record<IdentityField, keyof MetaUserData>;

/** `fbc` built from a landing-page `fbclid`: `fb.<subdomainIndex>.<creationTime ms>.<fbclid>` ("ClickID and the fbp and fbc Parameters"). */
export function fbcFromClickId(fbclid: string, createdAtMs: number): string {
  // Subdomain index 1 = the cookie set on the registrable domain (example.com), as the pixel does by default.
  // The click id is case-sensitive: Meta warns against any modification.
  return `fb.1.${createdAtMs}.${fbclid}`;
}

/**
 * `_fbc` / `_fbp` as the pixel writes them: `fb.<subdomainIndex>.<ms>.<value>`, optionally with the
 * Parameter Builder's 5th appendix segment (which parsers that demand 4 segments wrongly reject).
 * A malformed value makes Meta refuse the event (2804001 "Click ID Incorrectly Formatted"): drop it instead.
 */
const FBC = /^fb\.\d\.\d{13}\.[^.\s]+(\.[A-Za-z0-9_-]+)?$/;
const FBP = /^fb\.\d\.\d{13}\.\d+(\.[A-Za-z0-9_-]+)?$/;

/** Maps a Sluice event to a Meta server event, hashing contact fields on the way. Identify events are not sent. */
export async function toMetaEvent(event: Event, facts: RequestFacts, consent: DeliveryConsent): Promise<MetaServerEvent | null> {
  const eventName = sluiceEventName(event);
  if (!eventName) return null;
  const userData = await metaUserData(event, facts);
  const url = event.context?.page?.url;
  // Website events require event_source_url and client_user_agent; without them Meta rejects the event.
  const website = Boolean(url && userData.client_user_agent);
  const item: MetaServerEvent = {
    event_name: eventName,
    event_time: eventSecondsAt(event, facts.receivedAt),
    event_id: event.eventId,
    action_source: website ? 'website' : 'other',
    user_data: userData,
    data_processing_options: [],
  };
  if (url) item.event_source_url = url;
  if (consent.mode === 'limited') {
    item.data_processing_options = ['LDU'];
    item.data_processing_options_country = 0;
    item.data_processing_options_state = 0;
  }
  const custom = customData(event);
  if (custom) item.custom_data = custom;
  return item;
}

async function metaUserData(event: Event, facts: RequestFacts): Promise<MetaUserData> {
  const user: Partial<Record<IdentityField, string>> = { ...event.user };
  user.externalId ??= event.userId;
  const data: MetaUserData = {};
  const options = identityOptions(event, facts);
  for (const [field, key] of Object.entries(META_KEYS) as [IdentityField, (typeof META_KEYS)[IdentityField]][]) {
    const outcome = identityOutcome(META_PROFILE, field, user[field], options);
    const value = field === 'phone' ? phoneValue(outcome, facts) : outcome.kind === 'value' ? outcome.value : undefined;
    if (value) data[key] = [value];
  }
  if (facts.ip) data.client_ip_address = facts.ip;
  const ua = event.context?.userAgent ?? facts.userAgent;
  if (ua) data.client_user_agent = ua;
  const cookies = event.context?.cookies;
  if (cookies?.fbp && FBP.test(cookies.fbp)) data.fbp = cookies.fbp;
  const fbclid = event.context?.clickIds?.fbclid?.trim();
  if (cookies?.fbc && FBC.test(cookies.fbc)) data.fbc = cookies.fbc;
  else if (fbclid && !/[\s.]/.test(fbclid)) data.fbc = fbcFromClickId(fbclid, Date.parse(event.timestamp));
  return data;
}

/** Only the commerce fields Meta defines; arbitrary properties could carry personal data. */
function customData(event: Event): Record<string, unknown> | undefined {
  const commerce = commerceOf(event);
  const out: Record<string, unknown> = {};
  if (commerce.value !== undefined) out.value = commerce.value;
  if (commerce.currency) out.currency = commerce.currency;
  if (commerce.orderId) out.order_id = commerce.orderId;
  if (commerce.contentIds) out.content_ids = commerce.contentIds;
  return Object.keys(out).length ? out : undefined;
}
