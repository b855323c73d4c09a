import type { Env } from '../../env.ts';
import type { MetaDestinationConfig } from '../../site-config/site-config.ts';
import type { SendOutcome } from '../destination.ts';
import { parseRetryAfter } from '../retry-after.ts';
import type { MetaServerEvent } from './meta-event.ts';

/** Meta recommends a 1.5 s client timeout; most answers take under 600 ms (CAPI troubleshooting). */
export const META_TIMEOUT_MS = 1500;

/** Graph error codes that are throttling, i.e. worth retrying (Graph API error reference). */
const THROTTLING_CODES = new Set([4, 17, 32, 613, 80004]);

/** POSTs events to `{base}/{version}/{pixelId}/events`; the token comes from the secret the config names. */
export async function sendToMeta(items: MetaServerEvent[], config: MetaDestinationConfig, env: Env): Promise<SendOutcome> {
  const token = env[config.accessTokenSecret];
  if (typeof token !== 'string' || !token) {
    return { ok: false, retryable: false, reason: `secret ${config.accessTokenSecret} is not set` };
  }
  const url = `${env.META_API_BASE_URL}/${env.META_API_VERSION}/${config.pixelId}/events`;
  const body: Record<string, unknown> = { data: items, access_token: token };
  if (config.testEventCode) body.test_event_code = config.testEventCode;
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(META_TIMEOUT_MS),
    });
  } catch (error) {
    return { ok: false, retryable: true, reason: `network: ${(error as Error).name}` };
  }
  if (response.ok) return { ok: true };
  return classifyMetaError(response);
}

async function classifyMetaError(response: Response): Promise<SendOutcome> {
  const retryAfterSeconds = parseRetryAfter(response.headers.get('retry-after'));
  const graph = (await response.json().catch(() => null)) as { error?: { message?: string; code?: number; is_transient?: boolean } } | null;
  const error = graph?.error;
  const reason = `meta ${response.status}${error?.code ? ` code ${error.code}` : ''}: ${error?.message ?? response.statusText}`;
  const retryable =
    response.status === 429 || response.status >= 500 || error?.is_transient === true || THROTTLING_CODES.has(error?.code ?? -1);
  return retryAfterSeconds === undefined ? { ok: false, retryable, reason } : { ok: false, retryable, reason, retryAfterSeconds };
}
