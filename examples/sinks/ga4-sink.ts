import { startSink, type ReceivedRequest, type RunningSink, type SinkAnswer } from './sink-server.ts';
import { hashProblems, isObject, unknownKeys } from './sink-checks.ts';

/** Measurement Protocol limits ("Measurement Protocol limitations" / reference). */
const MAX_EVENTS = 25;
const MAX_PARAMS = 25;
const MAX_NAME = 40;
const MAX_PARAM_VALUE = 100;
const MAX_BODY_BYTES = 130_000;
const BACKDATE_US = 72 * 3600 * 1_000_000;
const NAME = /^[A-Za-z][A-Za-z0-9_]*$/;
const RESERVED_EVENTS = ['ad_activeview', 'ad_click', 'ad_exposure', 'ad_query', 'ad_reward', 'adunit_exposure', 'app_clear_data', 'app_exception', 'app_install', 'app_remove', 'app_store_refund', 'app_update', 'app_upgrade', 'dynamic_link_app_open', 'dynamic_link_app_update', 'dynamic_link_first_open', 'error', 'firebase_campaign', 'firebase_in_app_message_action', 'firebase_in_app_message_dismiss', 'firebase_in_app_message_impression', 'first_open', 'first_visit', 'in_app_purchase', 'notification_dismiss', 'notification_foreground', 'notification_open', 'notification_receive', 'notification_send', 'os_update', 'session_start', 'user_engagement'];
const RESERVED_PREFIXES = ['_', 'firebase_', 'ga_', 'google_', 'gtag.'];
const BODY_KEYS = ['client_id', 'app_instance_id', 'user_id', 'timestamp_micros', 'user_properties', 'consent', 'non_personalized_ads', 'user_data', 'user_location', 'ip_override', 'device', 'user_agent', 'validation_behavior', 'events'];
const USER_DATA_KEYS = ['sha256_email_address', 'sha256_phone_number', 'address'];
const ADDRESS_KEYS = ['sha256_first_name', 'sha256_last_name', 'sha256_street', 'city', 'region', 'postal_code', 'country'];
const CONSENT = ['GRANTED', 'DENIED'];

/** Checks a request against the GA4 Measurement Protocol (web stream) as documented. */
export function validateGa4Request(request: ReceivedRequest, json: unknown, now = Date.now()): string[] {
  const problems: string[] = [];
  if (request.method !== 'POST') problems.push('method must be POST');
  if (!/^G-[A-Z0-9]+$/.test(request.query.measurement_id ?? '')) problems.push('measurement_id missing or not G-…');
  if (!request.query.api_secret) problems.push('api_secret missing');
  if (Buffer.byteLength(request.body) >= MAX_BODY_BYTES) problems.push('body must be under 130 kB');
  if (!isObject(json)) return [...problems, 'body must be a JSON object'];
  problems.push(...unknownKeys(json, BODY_KEYS, ''));
  if (typeof json.client_id !== 'string' || !json.client_id) problems.push('client_id required for web streams');
  if (json.user_id !== undefined && typeof json.user_id !== 'string') problems.push('user_id must be a string');
  if (json.timestamp_micros !== undefined) problems.push(...timestampProblems(json.timestamp_micros, now, 'timestamp_micros'));
  if (json.consent !== undefined) {
    if (!isObject(json.consent)) problems.push('consent must be an object');
    else {
      problems.push(...unknownKeys(json.consent, ['ad_user_data', 'ad_personalization'], 'consent.'));
      for (const [k, v] of Object.entries(json.consent)) if (!CONSENT.includes(v as string)) problems.push(`consent.${k} must be GRANTED or DENIED`);
    }
  }
  if (json.user_data !== undefined) {
    problems.push(...userDataProblems(json.user_data));
    if (typeof json.user_id !== 'string') problems.push('user_data requires user_id');
  }
  if (!Array.isArray(json.events) || json.events.length === 0 || json.events.length > MAX_EVENTS) {
    return [...problems, `events must be an array of 1..${MAX_EVENTS}`];
  }
  json.events.forEach((e, i) => problems.push(...eventProblems(e, now).map((p) => `events[${i}].${p}`)));
  return problems;
}

function timestampProblems(value: unknown, now: number, where: string): string[] {
  if (!Number.isInteger(value)) return [`${where} must be integer microseconds`];
  const us = value as number;
  if (us > now * 1000 + 60_000_000) return [`${where} is in the future (or not microseconds)`];
  if (us < now * 1000 - BACKDATE_US) return [`${where} is more than 72 hours in the past`];
  return [];
}

function userDataProblems(value: unknown): string[] {
  if (!isObject(value)) return ['user_data must be an object'];
  const problems = unknownKeys(value, USER_DATA_KEYS, 'user_data.');
  for (const key of ['sha256_email_address', 'sha256_phone_number']) {
    const list = value[key];
    if (list === undefined) continue;
    if (!Array.isArray(list) || list.length > 3) problems.push(`user_data.${key} must be an array of at most 3`);
    problems.push(...hashProblems(list, `user_data.${key}`));
  }
  if (value.address !== undefined) {
    if (!Array.isArray(value.address) || value.address.length > 2) return [...problems, 'user_data.address must be an array of at most 2'];
    value.address.forEach((a, i) => {
      if (!isObject(a)) return problems.push(`user_data.address[${i}] must be an object`);
      problems.push(...unknownKeys(a, ADDRESS_KEYS, `user_data.address[${i}].`));
      for (const k of ['sha256_first_name', 'sha256_last_name', 'sha256_street']) problems.push(...hashProblems(a[k], `user_data.address[${i}].${k}`));
      for (const k of ['city', 'region', 'postal_code', 'country']) {
        if (a[k] !== undefined && (typeof a[k] !== 'string' || /^[0-9a-f]{64}$/.test(a[k] as string))) problems.push(`user_data.address[${i}].${k} must be clear text`);
      }
      if (a.country !== undefined && !/^[A-Za-z]{2}$/.test(String(a.country))) problems.push(`user_data.address[${i}].country must be ISO 3166-1 alpha-2`);
      return undefined;
    });
  }
  return problems;
}

function eventProblems(event: unknown, now: number): string[] {
  if (!isObject(event)) return ['event must be an object'];
  const problems = unknownKeys(event, ['name', 'params', 'timestamp_micros'], '');
  const name = event.name;
  if (typeof name !== 'string' || !NAME.test(name) || name.length > MAX_NAME) problems.push('name must match [A-Za-z][A-Za-z0-9_]* and be ≤ 40 chars');
  else if (RESERVED_EVENTS.includes(name) || RESERVED_PREFIXES.some((p) => name.startsWith(p))) problems.push(`name ${name} is reserved`);
  if (event.timestamp_micros !== undefined) problems.push(...timestampProblems(event.timestamp_micros, now, 'timestamp_micros'));
  if (event.params === undefined) return problems;
  if (!isObject(event.params)) return [...problems, 'params must be an object'];
  const params = Object.entries(event.params);
  if (params.length > MAX_PARAMS) problems.push(`at most ${MAX_PARAMS} params`);
  for (const [key, value] of params) {
    if (!NAME.test(key) || key.length > MAX_NAME) problems.push(`param name ${key} invalid`);
    if (typeof value === 'string' && value.length > MAX_PARAM_VALUE) problems.push(`params.${key} longer than 100 chars`);
  }
  if (name === 'purchase' && event.params.currency === undefined && event.params.value !== undefined) problems.push('purchase with value needs currency');
  return problems;
}

/** Identifier types of the User Deletion API (userDeletionRequest resource, v3). */
const DELETION_ID_TYPES = ['CLIENT_ID', 'USER_ID', 'APP_INSTANCE_ID'];
export const USER_DELETION_PATH = '/analytics/v3/userDeletion/userDeletionRequests:upsert';

/**
 * Checks a Google Analytics User Deletion API `upsert` as documented: POST, an OAuth Bearer token
 * (scope analytics.user.deletion), a `userDeletionRequest` with `kind`, `id.{type,userId}` and exactly
 * one of `propertyId` (GA4, numeric), `webPropertyId`, `firebaseProjectId`; CLIENT_ID and USER_ID need a property.
 */
export function validateUserDeletion(request: ReceivedRequest, json: unknown): string[] {
  const problems: string[] = [];
  if (request.method !== 'POST') problems.push('method must be POST');
  if (!/^Bearer \S+$/.test(request.headers.authorization ?? '')) problems.push('Authorization: Bearer <oauth token> missing');
  if (!request.headers['content-type']?.startsWith('application/json')) problems.push('content-type must be application/json');
  if (!isObject(json)) return [...problems, 'body must be a JSON object'];
  problems.push(...unknownKeys(json, ['kind', 'id', 'propertyId', 'webPropertyId', 'firebaseProjectId', 'deletionRequestTime'], ''));
  if (json.kind !== undefined && json.kind !== 'analytics#userDeletionRequest') problems.push('kind must be analytics#userDeletionRequest');
  if (json.deletionRequestTime !== undefined) problems.push('deletionRequestTime is output only');
  const targets = ['propertyId', 'webPropertyId', 'firebaseProjectId'].filter((k) => json[k] !== undefined);
  if (targets.length !== 1) problems.push('exactly one of propertyId, webPropertyId, firebaseProjectId');
  if (json.propertyId !== undefined && !/^\d{1,20}$/.test(String(json.propertyId))) problems.push('propertyId must be the numeric GA4 property id');
  if (!isObject(json.id)) return [...problems, 'id must be an object'];
  problems.push(...unknownKeys(json.id, ['type', 'userId'], 'id.'));
  if (!DELETION_ID_TYPES.includes(json.id.type as string)) problems.push(`id.type must be one of ${DELETION_ID_TYPES.join(', ')}`);
  if (typeof json.id.userId !== 'string' || !json.id.userId) problems.push('id.userId must be a non-empty string');
  if (json.id.type !== 'APP_INSTANCE_ID' && json.firebaseProjectId !== undefined) problems.push(`${String(json.id.type)} needs propertyId or webPropertyId`);
  return problems;
}

/** Google API error body (the MP endpoints answer non-2xx only for transport problems). */
const googleError = (code: number, status: string) => ({ error: { code, message: status, status } });

/** Starts a local GA4 Measurement Protocol on 127.0.0.1: `/mp/collect` (always 2xx, like Google's), `/debug/mp/collect`, and the User Deletion API's `upsert`. */
export function startGa4Sink(port?: number): Promise<RunningSink> {
  return startSink({
    name: 'ga4',
    port,
    answer: (request, json): SinkAnswer => {
      if (request.path === USER_DELETION_PATH) {
        const problems = validateUserDeletion(request, json);
        if (problems.length) return { status: 400, body: googleError(400, 'INVALID_ARGUMENT'), problems };
        const body = json as Record<string, unknown>;
        return { status: 200, body: { kind: 'analytics#userDeletionRequest', id: body.id, propertyId: body.propertyId, deletionRequestTime: new Date().toISOString() }, problems };
      }
      if (request.path !== '/mp/collect' && request.path !== '/debug/mp/collect') {
        return { status: 404, body: googleError(404, 'NOT_FOUND'), problems: [`no route ${request.path}`] };
      }
      const problems = validateGa4Request(request, json);
      if (request.path === '/mp/collect') return { status: 204, problems };
      const validationMessages = problems.map((description) => ({ fieldPath: description.split(' ')[0], description, validationCode: 'VALUE_INVALID' }));
      return { status: 200, body: { validationMessages }, problems };
    },
    errors: {
      throttle: () => ({ status: 429, body: googleError(429, 'RESOURCE_EXHAUSTED'), headers: { 'retry-after': '1' } }),
      server: () => ({ status: 503, body: googleError(503, 'UNAVAILABLE') }),
      permanent: () => ({ status: 400, body: googleError(400, 'INVALID_ARGUMENT') }),
    },
  });
}
