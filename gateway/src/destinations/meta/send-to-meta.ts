import type { Env } from '../../env.ts';
import type { MetaDestinationConfig } from '../../site-config/site-config.ts';
import type { DeliveryTarget, SendOutcome } from '../destination.ts';
import { failure, isRetryableStatus, postJson, readSecret, refusesWholeRequest, shortReason, traceHeaders } from '../post-json.ts';
import type { MetaServerEvent } from './meta-event.ts';

/** Meta recommends a 1.5 s client timeout; most answers take under 600 ms (CAPI troubleshooting). */
export const META_TIMEOUT_MS = 1500;

/** Graph error codes that are throttling, i.e. worth retrying (Graph API error reference; exact list unverified). */
const THROTTLING_CODES = new Set([1, 2, 4, 17, 32, 341, 613, 80004]);

/** Graph codes that refuse the request itself: 190 invalid token, 102 session, 10/200-299 permissions, 803 unknown object. */
function isWholeRequestCode(code: number | undefined): boolean {
  return code === 190 || code === 102 || code === 10 || code === 803 || (code !== undefined && code >= 200 && code < 300);
}

/** POSTs events to `{base}/{version}/{pixelId}/events`; the token comes from the secret the config names. */
export async function sendToMeta(items: MetaServerEvent[], config: MetaDestinationConfig, env: Env, target?: DeliveryTarget): Promise<SendOutcome> {
  const token = readSecret(env, config.accessTokenSecret);
  if (!token) return { ok: false, retryable: false, reason: `secret ${config.accessTokenSecret} is not set` };
  const url = `${env.META_API_BASE_URL}/${env.META_API_VERSION}/${config.pixelId}/events`;
  const body: Record<string, unknown> = { data: items, access_token: token };
  if (config.testEventCode) body.test_event_code = config.testEventCode;
  const result = await postJson(url, body, traceHeaders(target), META_TIMEOUT_MS);
  if ('networkError' in result) return { ok: false, retryable: true, reason: `meta ${result.networkError}` };
  const { response } = result;
  if (response.ok) return { ok: true };
  const graph = (await response.json().catch(() => null)) as { error?: { message?: string; code?: number; error_subcode?: number; is_transient?: boolean } } | null;
  const error = graph?.error;
  const code = error?.code === undefined ? '' : ` code ${error.code}${error.error_subcode ? `/${error.error_subcode}` : ''}`;
  const reason = shortReason(`meta ${response.status}${code}: ${error?.message ?? response.statusText}`);
  const retryable = isRetryableStatus(response.status) || error?.is_transient === true || THROTTLING_CODES.has(error?.code ?? -1);
  return failure(response, retryable, reason, refusesWholeRequest(response.status) || isWholeRequestCode(error?.code));
}
