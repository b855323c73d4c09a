import { regexes } from 'zod/v4/core';
import { jsonShapeProblem, MAX_PROPERTY_DEPTH, MAX_PROPERTY_NODES, MAX_STRING_LENGTH, type Event } from '@sluice/protocol';

/**
 * A hand-written check for the hot event shapes, for speed in workerd (which cannot JIT-compile
 * zod's parsers). Conservative by construction: `true` only when the zod `Event` schema would
 * accept the value unchanged (strings already trimmed, no unknown keys, every bound met); anything
 * else — a rare field, a doubtful value — is `false`, and zod decides and words the error. zod stays
 * the source of truth; a conformance property test holds the two together.
 * @example if (fastEventCheck(raw)) use(raw as Event); else Event.safeParse(raw)
 */
export function fastEventCheck(value: unknown): value is Event {
  if (!isPlain(value)) return false;
  const type = value.type;
  const own = type === 'track' ? TRACK_KEYS : type === 'page' ? PAGE_KEYS : type === 'identify' ? BASE_KEYS : undefined;
  if (!own || !onlyKeys(value, own)) return false;
  if (type === 'track' && !trimmed(value.event, 1, 128)) return false;
  if (type === 'page' && value.name !== undefined && !str(value.name, 0, MAX_STRING_LENGTH)) return false;
  if (typeof value.eventId !== 'string' || !UUID.test(value.eventId)) return false;
  if (typeof value.timestamp !== 'string' || !DATETIME.test(value.timestamp)) return false;
  if (!str(value.anonymousId, 1, 128)) return false;
  if (value.userId !== undefined && !str(value.userId, 1, 256)) return false;
  if (value.properties !== undefined && !properties(value.properties)) return false;
  if (value.user !== undefined && !user(value.user)) return false;
  if (value.context !== undefined && !context(value.context)) return false;
  if (value.consent !== undefined && !consent(value.consent)) return false;
  return true;
}

const UUID = regexes.uuid();
const DATETIME = regexes.datetime({ offset: true });
const BASE_KEYS = new Set(['type', 'eventId', 'timestamp', 'anonymousId', 'userId', 'properties', 'user', 'context', 'consent']);
const TRACK_KEYS = new Set([...BASE_KEYS, 'event']);
const PAGE_KEYS = new Set([...BASE_KEYS, 'name']);
const USER_KEYS = new Set(['email', 'phone', 'firstName', 'lastName', 'city', 'region', 'postalCode', 'country', 'birthdate', 'gender', 'externalId']);
const PAGE_LIMITS: Record<string, number> = { url: 2048, referrer: 2048, title: 512 };
const CLICK_ID_KEYS = new Set(['fbclid', 'gclid', 'wbraid', 'gbraid', 'ttclid', 'msclkid']);
const UTM_KEYS = new Set(['source', 'medium', 'campaign', 'term', 'content']);
const COOKIE_LIMITS: Record<string, number> = { fbp: 256, fbc: 512, ttp: 256, ga: 128 };
const CONTEXT_LIMITS: Record<string, number> = { userAgent: 1024, locale: 35, sessionId: 64 };
const GCM_KEYS = new Set(['ad_storage', 'analytics_storage', 'ad_user_data', 'ad_personalization', 'functionality_storage', 'personalization_storage', 'security_storage']);
const CMP_CATEGORY = /^[\w.:-]{1,64}$/;

function isPlain(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function onlyKeys(value: Record<string, unknown>, allowed: Set<string>): boolean {
  for (const key in value) if (!allowed.has(key)) return false;
  return true;
}

function str(value: unknown, min: number, max: number): boolean {
  return typeof value === 'string' && value.length >= min && value.length <= max;
}

/** zod trims these fields: only a value that is already trimmed passes unchanged. */
function trimmed(value: unknown, min: number, max: number): boolean {
  return str(value, min, max) && (value as string).trim() === value;
}

function properties(value: unknown): boolean {
  if (!isPlain(value)) return false;
  for (const key in value) if (key.length > 128 || key === '__proto__') return false;
  return jsonShapeProblem(value, MAX_PROPERTY_DEPTH, MAX_PROPERTY_NODES) === undefined && JSON.stringify(value).length <= 32 * 1024;
}

function user(value: unknown): boolean {
  if (!isPlain(value) || !onlyKeys(value, USER_KEYS)) return false;
  for (const key in value) if (!trimmed(value[key], 1, 256)) return false;
  return true;
}

function limited(value: unknown, limits: Record<string, number>): boolean {
  if (!isPlain(value)) return false;
  for (const key in value) if (!(key in limits) || !str(value[key], 0, limits[key]!)) return false;
  return true;
}

function ofKeys(value: unknown, keys: Set<string>, max: number): boolean {
  if (!isPlain(value)) return false;
  for (const key in value) if (!keys.has(key) || !str(value[key], 0, max)) return false;
  return true;
}

function context(value: unknown): boolean {
  if (!isPlain(value)) return false;
  for (const key in value) {
    const v = value[key];
    if (key === 'page') {
      if (!limited(v, PAGE_LIMITS)) return false;
    } else if (key === 'clickIds') {
      if (!ofKeys(v, CLICK_ID_KEYS, 512)) return false;
    } else if (key === 'utm') {
      if (!ofKeys(v, UTM_KEYS, 256)) return false;
    } else if (key === 'cookies') {
      if (!limited(v, COOKIE_LIMITS)) return false;
    } else if (key in CONTEXT_LIMITS) {
      if (!str(v, 0, CONTEXT_LIMITS[key]!)) return false;
    } else return false;
  }
  return true;
}

function consent(value: unknown): boolean {
  if (!isPlain(value)) return false;
  for (const key in value) {
    const v = value[key];
    if (key === 'tcString' || key === 'gppString') {
      if (!str(v, 0, 16 * 1024)) return false;
    } else if (key === 'gppSid') {
      if (!Array.isArray(v) || v.length > 32 || !v.every((n) => Number.isInteger(n) && n >= 0 && n <= 1000)) return false;
    } else if (key === 'consentMode') {
      if (!isPlain(v)) return false;
      for (const k in v) if (!GCM_KEYS.has(k) || (v[k] !== 'granted' && v[k] !== 'denied')) return false;
    } else if (key === 'cmpCategories') {
      if (!isPlain(v)) return false;
      let n = 0;
      for (const k in v) if (++n > 64 || !CMP_CATEGORY.test(k) || typeof v[k] !== 'boolean') return false;
    } else if (key === 'gpc') {
      if (typeof v !== 'boolean') return false;
    } else return false;
  }
  return true;
}
