import { startSink, type ReceivedRequest, type RunningSink } from './sink-server.ts';

/** Graph API versions Meta documents as current for the Conversions API. */
const VERSION = /^v\d{2}\.0$/;
const HASH = /^[0-9a-f]{64}$/;
const HASHED_KEYS = ['em', 'ph', 'fn', 'ln', 'ge', 'db', 'ct', 'st', 'zp', 'country'];
const CLEAR_KEYS = ['external_id', 'client_ip_address', 'client_user_agent', 'fbc', 'fbp', 'subscription_id', 'fb_login_id', 'lead_id', 'anon_id', 'madid', 'page_id', 'ctwa_clid'];
const ACTION_SOURCES = ['email', 'website', 'app', 'phone_call', 'chat', 'physical_store', 'system_generated', 'business_messaging', 'other'];
const EVENT_KEYS = ['event_name', 'event_time', 'user_data', 'custom_data', 'event_source_url', 'opt_out', 'event_id', 'action_source', 'data_processing_options', 'data_processing_options_country', 'data_processing_options_state', 'referrer_url', 'original_event_data', 'attribution_data', 'messaging_channel', 'app_data'];
const BODY_KEYS = ['data', 'access_token', 'test_event_code', 'partner_agent', 'namespace_id', 'upload_id', 'upload_tag', 'upload_source'];
const SEVEN_DAYS_S = 7 * 24 * 3600;

/**
 * Checks a request against Meta's documented Conversions API shape
 * (`POST /{version}/{pixel}/events`, server-event and customer-information parameters).
 */
export function validateMetaRequest(request: ReceivedRequest, json: unknown, now = Date.now()): string[] {
  const problems: string[] = [];
  const match = /^\/(v[^/]+)\/(\d+)\/events$/.exec(request.path);
  if (request.method !== 'POST') problems.push('method must be POST');
  if (!match || !VERSION.test(match[1]!)) problems.push(`path ${request.path} is not /{vNN.0}/{pixel_id}/events`);
  if (!isObject(json)) return [...problems, 'body must be a JSON object'];
  for (const key of Object.keys(json)) if (!BODY_KEYS.includes(key)) problems.push(`unknown body field ${key}`);
  if (typeof json.access_token !== 'string' && !request.query.access_token) problems.push('access_token missing');
  if (!Array.isArray(json.data) || json.data.length === 0 || json.data.length > 1000) {
    return [...problems, 'data must be an array of 1..1000 events'];
  }
  json.data.forEach((event, i) => problems.push(...validateEvent(event, now).map((p) => `data[${i}].${p}`)));
  return problems;
}

function validateEvent(event: unknown, now: number): string[] {
  if (!isObject(event)) return ['event must be an object'];
  const problems: string[] = [];
  for (const key of Object.keys(event)) if (!EVENT_KEYS.includes(key)) problems.push(`unknown field ${key}`);
  if (typeof event.event_name !== 'string' || !event.event_name) problems.push('event_name required');
  const time = event.event_time;
  const nowS = Math.floor(now / 1000);
  if (!Number.isInteger(time)) problems.push('event_time must be integer unix seconds');
  else if ((time as number) > nowS + 60) problems.push('event_time is in the future (or in milliseconds)');
  else if ((time as number) < nowS - SEVEN_DAYS_S) problems.push('event_time is older than 7 days');
  if (!ACTION_SOURCES.includes(event.action_source as string)) problems.push('action_source invalid');
  if (event.action_source === 'website') {
    if (typeof event.event_source_url !== 'string') problems.push('event_source_url required for website events');
  }
  if (event.event_id !== undefined && typeof event.event_id !== 'string') problems.push('event_id must be a string');
  const dpo = event.data_processing_options;
  if (dpo !== undefined && !(Array.isArray(dpo) && dpo.every((o) => o === 'LDU'))) problems.push('data_processing_options must be [] or ["LDU"]');
  for (const key of ['data_processing_options_country', 'data_processing_options_state'] as const) {
    if (event[key] !== undefined && !Number.isInteger(event[key])) problems.push(`${key} must be an integer`);
  }
  if (!isObject(event.user_data)) return [...problems, 'user_data required'];
  if (event.action_source === 'website' && typeof event.user_data.client_user_agent !== 'string') {
    problems.push('user_data.client_user_agent required for website events');
  }
  for (const [key, value] of Object.entries(event.user_data)) {
    if (HASHED_KEYS.includes(key)) {
      const values = Array.isArray(value) ? value : [value];
      if (!values.every((v) => typeof v === 'string' && HASH.test(v))) problems.push(`user_data.${key} must be SHA-256 hex`);
    } else if (!CLEAR_KEYS.includes(key)) problems.push(`user_data.${key} is not a Meta parameter`);
  }
  const fbc = event.user_data.fbc;
  if (fbc !== undefined && !/^fb\.\d\.\d{13}\.[^.]+(\.[A-Za-z0-9_-]+)?$/.test(String(fbc))) problems.push('user_data.fbc malformed');
  return problems;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Graph API error bodies (Graph API error reference; throttling is code 17/613 with HTTP 400). */
const graphError = (code: number, message: string, transient: boolean, subcode?: number) => ({
  error: { message, type: 'OAuthException', code, ...(subcode ? { error_subcode: subcode } : {}), is_transient: transient, fbtrace_id: 'sink' },
});

/** Starts a local Meta Conversions API on 127.0.0.1. */
export function startMetaSink(port?: number): Promise<RunningSink> {
  return startSink({
    name: 'meta',
    port,
    errors: {
      throttle: () => ({ status: 400, body: graphError(17, 'User request limit reached', true) }),
      server: () => ({ status: 500, body: graphError(2, 'An unexpected error has occurred. Please retry your request later.', true) }),
      permanent: () => ({ status: 400, body: graphError(100, 'Invalid parameter', false, 2804019) }),
    },
    validate: (request, json) => validateMetaRequest(request, json),
    ok: (json) => ({ events_received: (json as { data: unknown[] }).data.length, messages: [], fbtrace_id: 'sink' }),
    invalid: (problems) => ({
      status: 400,
      body: { error: { message: `Invalid parameter: ${problems.join('; ')}`, type: 'OAuthException', code: 100, error_subcode: 2804019, is_transient: false, fbtrace_id: 'sink' } },
    }),
  });
}
