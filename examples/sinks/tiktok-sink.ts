import { startSink, type ReceivedRequest, type RunningSink } from './sink-server.ts';
import { hashProblems, isObject, unknownKeys } from './sink-checks.ts';

const BODY_KEYS = ['event_source', 'event_source_id', 'test_event_code', 'partner_name', 'data'];
const EVENT_KEYS = ['event', 'event_time', 'event_id', 'user', 'properties', 'page', 'limited_data_use', 'lead', 'app', 'ad'];
const USER_KEYS = ['email', 'phone', 'external_id', 'ttclid', 'ttp', 'ip', 'user_agent', 'locale', 'idfa', 'idfv', 'gaid', 'first_name', 'last_name', 'city', 'state', 'country', 'zip_code'];
const MAX_EVENTS = 1000;
const SEVEN_DAYS_S = 7 * 24 * 3600;

/** Checks a request against TikTok Events API 2.0 (`/open_api/v1.3/event/track/`). */
export function validateTikTokRequest(request: ReceivedRequest, json: unknown, now = Date.now()): string[] {
  const problems: string[] = [];
  if (request.method !== 'POST' || request.path !== '/open_api/v1.3/event/track/') problems.push(`${request.method} ${request.path} is not POST /open_api/v1.3/event/track/`);
  if (!request.headers['access-token']) problems.push('Access-Token header missing');
  if (!isObject(json)) return [...problems, 'body must be a JSON object'];
  problems.push(...unknownKeys(json, BODY_KEYS, ''));
  if (!['web', 'app', 'offline', 'crm'].includes(json.event_source as string)) problems.push('event_source must be web|app|offline|crm');
  if (typeof json.event_source_id !== 'string' || !json.event_source_id) problems.push('event_source_id (pixel code) required');
  if (!Array.isArray(json.data) || json.data.length === 0 || json.data.length > MAX_EVENTS) return [...problems, `data must be an array of 1..${MAX_EVENTS}`];
  json.data.forEach((e, i) => problems.push(...eventProblems(e, now).map((p) => `data[${i}].${p}`)));
  return problems;
}

function eventProblems(event: unknown, now: number): string[] {
  if (!isObject(event)) return ['event must be an object'];
  const problems = unknownKeys(event, EVENT_KEYS, '');
  if (typeof event.event !== 'string' || !event.event) problems.push('event required');
  const nowS = Math.floor(now / 1000);
  if (!Number.isInteger(event.event_time)) problems.push('event_time must be integer unix seconds');
  else if ((event.event_time as number) > nowS + 60) problems.push('event_time is in the future (or in milliseconds)');
  else if ((event.event_time as number) < nowS - SEVEN_DAYS_S) problems.push('event_time is older than 7 days');
  if (event.event_id !== undefined && typeof event.event_id !== 'string') problems.push('event_id must be a string');
  if (event.limited_data_use !== undefined && typeof event.limited_data_use !== 'boolean') problems.push('limited_data_use must be boolean');
  if (!isObject(event.user)) return [...problems, 'user required'];
  problems.push(...unknownKeys(event.user, USER_KEYS, 'user.'));
  for (const k of ['email', 'phone', 'external_id', 'first_name', 'last_name', 'zip_code']) problems.push(...hashProblems(event.user[k], `user.${k}`));
  return problems;
}

const answer = (code: number, message: string) => ({ code, message, request_id: 'sink', data: {} });

/** Starts a local TikTok Events API on 127.0.0.1. Like TikTok, errors come back as HTTP 200 with a non-zero `code`. */
export function startTikTokSink(port?: number): Promise<RunningSink> {
  return startSink({
    name: 'tiktok',
    port,
    validate: (request, json) => validateTikTokRequest(request, json),
    ok: () => answer(0, 'OK'),
    invalid: (problems) => ({ status: 200, body: answer(40002, `Invalid parameters: ${problems.join('; ')}`) }),
    errors: {
      throttle: () => ({ status: 200, body: answer(40100, 'Requests made too frequently') }),
      server: () => ({ status: 500, body: answer(50000, 'Internal service error') }),
      permanent: () => ({ status: 200, body: answer(40002, 'Invalid parameters') }),
    },
  });
}
