import type { Env } from '../../env.ts';
import type { TikTokDestinationConfig } from '../../site-config/site-config.ts';
import type { DeliveryTarget, SendOutcome } from '../destination.ts';
import { failure, isRetryableStatus, postJson, readSecret, refusesWholeRequest, shortReason, traceHeaders } from '../post-json.ts';
import type { TikTokEvent } from './tiktok-event.ts';

/** TikTok publishes no timeout advice; the same bound as Meta's keeps a stuck vendor from holding the consumer. */
export const TIKTOK_TIMEOUT_MS = 1500;

/**
 * Business API codes worth retrying: 40100 too many requests, 5xxxx server side
 * (TikTok Business API error codes [unverified exact list]). Any other non-zero code is permanent.
 */
function isRetryableCode(code: number): boolean {
  return code === 40100 || (code >= 50000 && code < 60000);
}

/** `POST {base}/open_api/v1.3/event/track/` with the `Access-Token` header. TikTok answers HTTP 200 with a non-zero `code` on errors. */
export async function sendToTikTok(items: TikTokEvent[], config: TikTokDestinationConfig, env: Env, target?: DeliveryTarget): Promise<SendOutcome> {
  const token = readSecret(env, config.accessTokenSecret);
  if (!token) return { ok: false, retryable: false, reason: `secret ${config.accessTokenSecret} is not set` };
  const body: Record<string, unknown> = { event_source: 'web', event_source_id: config.pixelCode, data: items };
  if (config.testEventCode) body.test_event_code = config.testEventCode;
  const result = await postJson(`${env.TIKTOK_API_BASE_URL}/open_api/v1.3/event/track/`, body, { 'Access-Token': token, ...traceHeaders(target) }, TIKTOK_TIMEOUT_MS);
  if ('networkError' in result) return { ok: false, retryable: true, reason: `tiktok ${result.networkError}` };
  const { response } = result;
  const answer = (await response.json().catch(() => null)) as { code?: number; message?: string } | null;
  if (response.ok && answer?.code === 0) return { ok: true };
  const code = answer?.code;
  const reason = shortReason(`tiktok ${response.status}${code === undefined ? '' : ` code ${code}`}: ${answer?.message ?? response.statusText}`);
  const retryable = isRetryableStatus(response.status) || (code !== undefined && isRetryableCode(code));
  // 40001 no permission, 40105/40104 access token invalid/missing [unverified]: the request as a whole is refused.
  const wholeRequest = refusesWholeRequest(response.status) || code === 40001 || code === 40104 || code === 40105;
  return failure(response, retryable, reason, wholeRequest);
}
