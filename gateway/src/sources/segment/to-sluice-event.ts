import { normalizeCountry, sha256Hex } from '../../identity/index.ts';
import { correctedTimestamp } from './corrected-timestamp.ts';
import { eventIdFor } from './event-id-for.ts';
import { segmentConsent } from './segment-consent.ts';
import { SEGMENT_EVENT_NAMES, segmentCommerce } from './segment-ecommerce.ts';

/** The Segment calls (tracking API spec) and their single-letter paths (analytics.js posts to `/t`, `/p`, …). */
export const SEGMENT_TYPES = ['track', 'identify', 'page', 'screen', 'group', 'alias'] as const;
export type SegmentType = (typeof SEGMENT_TYPES)[number];

type Json = Record<string, unknown>;

/**
 * One Segment message in Sluice's event model, ready for the protocol's validation (which rejects
 * what does not fit, per event). `messageId` → `eventId` (stable), skew-corrected time, Segment
 * `context` → page, user agent, locale, UTM (`campaign`), traits → the user fields the gateway
 * hashes per destination, `context.consent` → raw signals. `screen` lands as a page view named after
 * the screen, `group` as a `Group` track event carrying the group id only (group traits describe a
 * company and are not forwarded), `alias` as an identify of the new user id. Without an anonymousId,
 * one is derived from a hash of the userId (the raw user id is never copied into it).
 * @example await toSluiceEvent({ type: 'track', event: 'Order Completed', messageId: 'm1', userId: 'u1' }, undefined, now)
 */
export async function toSluiceEvent(message: Json, type: SegmentType, batchSentAt: unknown, receivedAt: number): Promise<Json> {
  const context = obj(message.context) ?? {};
  const traits = { ...(obj(context.traits) ?? {}), ...(type === 'identify' ? (obj(message.traits) ?? {}) : {}) };
  const properties = obj(message.properties);
  const messageId = str(message.messageId) ?? crypto.randomUUID();
  const userId = str(message.userId) ?? (typeof message.userId === 'number' ? String(message.userId) : undefined);
  const event: Json = {
    eventId: await eventIdFor(messageId),
    timestamp: correctedTimestamp(message.timestamp ?? message.originalTimestamp, message.sentAt ?? batchSentAt, receivedAt),
    anonymousId: str(message.anonymousId) ?? (userId ? `uid-${(await sha256Hex(userId)).slice(0, 32)}` : undefined),
  };
  if (userId) event.userId = userId;
  const user = userFields(traits);
  if (user) event.user = user;
  const sluiceContext = contextOf(context, type === 'page' ? properties : undefined);
  if (sluiceContext) event.context = sluiceContext;
  const consent = segmentConsent(context);
  if (consent) event.consent = consent;
  const integrations = integrationSwitches(message.integrations);
  if (integrations) event.integrations = integrations;
  switch (type) {
    case 'track':
      return {
        type: 'track',
        event: typeof message.event === 'string' ? (SEGMENT_EVENT_NAMES[message.event] ?? message.event) : message.event,
        ...event,
        ...(properties && { properties: segmentCommerce(properties) }),
      };
    case 'page':
    case 'screen': {
      const name = str(message.name) ?? str(properties?.name);
      return { type: 'page', ...(name && { name }), ...event, ...(properties && { properties: withoutPageFields(properties) }) };
    }
    case 'group':
      return { type: 'track', event: 'Group', ...event, properties: { groupId: message.groupId } };
    case 'identify':
    case 'alias':
      return { type: 'identify', ...event };
  }
}

/** Segment traits (`traits` on identify, `context.traits` elsewhere) to Sluice's user fields; the gateway hashes them. */
function userFields(traits: Json): Json | undefined {
  const address = obj(traits.address) ?? {};
  const fields: Json = {
    email: str(traits.email),
    phone: str(traits.phone),
    firstName: str(traits.firstName) ?? str(traits.first_name),
    lastName: str(traits.lastName) ?? str(traits.last_name),
    city: str(address.city),
    region: str(address.state),
    postalCode: str(address.postalCode) ?? str(address.postal_code),
    country: str(address.country),
    birthdate: str(traits.birthday),
    gender: str(traits.gender),
  };
  for (const key of Object.keys(fields)) if (fields[key] === undefined) delete fields[key];
  return Object.keys(fields).length ? fields : undefined;
}

function contextOf(context: Json, pageProperties: Json | undefined): Json | undefined {
  const page = obj(context.page) ?? {};
  const campaign = obj(context.campaign) ?? {};
  const out: Json = {};
  const url = str(page.url) ?? str(pageProperties?.url);
  const referrer = str(page.referrer) ?? str(pageProperties?.referrer);
  const title = str(page.title) ?? str(pageProperties?.title);
  if (url || referrer || title) out.page = { ...(url && { url }), ...(referrer && { referrer }), ...(title && { title }) };
  if (str(context.userAgent)) out.userAgent = context.userAgent;
  if (str(context.locale)) out.locale = context.locale;
  const utm: Json = { source: str(campaign.source), medium: str(campaign.medium), campaign: str(campaign.name), term: str(campaign.term), content: str(campaign.content) };
  for (const key of Object.keys(utm)) if (utm[key] === undefined) delete utm[key];
  if (Object.keys(utm).length) out.utm = utm;
  // The end user's IP and location as a server relays them; ingest honours them only from authenticated server sources (sources/relayed/).
  if (str(context.ip)) out.ip = context.ip;
  const location = locationOf(obj(context.location));
  if (location) out.location = location;
  const sessionId = context.sessionId ?? obj(context.device)?.sessionId;
  if (typeof sessionId === 'string' || typeof sessionId === 'number') out.sessionId = String(sessionId).slice(0, 64);
  return Object.keys(out).length ? out : undefined;
}

/** analytics.js repeats the page's url, path, referrer, search and title in page properties: they are context, not properties (and the URL there would escape the scrubber). */
function withoutPageFields(properties: Json): Json {
  const { url: _u, path: _p, referrer: _r, search: _s, title: _t, ...rest } = properties;
  return rest;
}

/**
 * Segment's `integrations`: `true`/`false`, or an options object (which means on). Keys Segment
 * reserves for settings on the object (none are booleans) are dropped with the rest of what is not
 * a switch.
 */
function integrationSwitches(value: unknown): Record<string, boolean> | undefined {
  const raw = obj(value);
  if (!raw) return undefined;
  const out: Record<string, boolean> = {};
  for (const [name, setting] of Object.entries(raw)) {
    if (name.length === 0 || name.length > 128 || Object.keys(out).length >= 64) continue;
    if (typeof setting === 'boolean') out[name] = setting;
    else if (obj(setting)) out[name] = true;
  }
  return Object.keys(out).length ? out : undefined;
}

/**
 * Segment's `context.location` (`country` is often a name, "United States"; `region` a code or a
 * name) as an ISO country and, when it is a code, the subdivision. A country that is no ISO country
 * is no location (the event is then placed as unknown).
 */
function locationOf(location: Json | undefined): Json | undefined {
  const country = str(location?.country) && normalizeCountry(location!.country as string);
  if (!country) return undefined;
  const region = str(location?.region)?.trim().toUpperCase();
  const code = region && /^([A-Z]{2}-)?[A-Z0-9]{1,3}$/.test(region) ? region : undefined;
  return { country: country.toUpperCase(), ...(code && { region: code }) };
}

function obj(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim().length > 0 ? value : undefined;
}
