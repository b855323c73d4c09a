import type { Env } from '../../env.ts';
import type { GoogleAdsDestinationConfig } from '../../site-config/site-config.ts';
import type { ItemRejection, DeliveryTarget, SendOutcome } from '../destination.ts';
import { failure, isRetryableStatus, postJson, readSecret, refusesWholeRequest, shortReason, traceHeaders } from '../post-json.ts';
import type { GoogleAdsItem } from './click-conversion.ts';
import { accessToken, forgetAccessToken } from './oauth-token.ts';

/** Google Ads answers uploads within seconds; a longer wait is retried rather than held. */
export const GOOGLE_ADS_TIMEOUT_MS = 5000;

/** google.rpc statuses that are transient (InternalErrorEnum.TRANSIENT_ERROR, QuotaError, deadlines). */
const RETRYABLE_STATUSES = new Set(['RESOURCE_EXHAUSTED', 'UNAVAILABLE', 'DEADLINE_EXCEEDED', 'INTERNAL', 'ABORTED']);

interface GoogleAdsError {
  errorCode?: Record<string, string>;
  message?: string;
  location?: { fieldPathElements?: Array<{ fieldName?: string; index?: number }> };
}
interface RpcStatus {
  code?: number;
  message?: string;
  status?: string;
  details?: Array<{ errors?: GoogleAdsError[] }>;
}

/**
 * `POST {base}/{version}/customers/{id}:uploadClickConversions` with `partialFailure: true` (required):
 * rows Google refuses come back in `partialFailureError` and are dead-lettered one by one.
 */
export async function sendToGoogleAds(items: GoogleAdsItem[], config: GoogleAdsDestinationConfig, env: Env, target?: DeliveryTarget): Promise<SendOutcome> {
  const developerToken = readSecret(env, config.developerTokenSecret);
  if (!developerToken) return { ok: false, retryable: false, reason: `secret ${config.developerTokenSecret} is not set` };
  const token = await accessToken(config, env);
  if (!('token' in token)) return { ok: false, retryable: token.retryable, reason: token.reason };
  const headers: Record<string, string> = { authorization: `Bearer ${token.token}`, 'developer-token': developerToken };
  if (config.loginCustomerId) headers['login-customer-id'] = config.loginCustomerId;
  const url = `${env.GOOGLE_ADS_API_BASE_URL}/${env.GOOGLE_ADS_API_VERSION}/customers/${config.customerId}:uploadClickConversions`;
  const body = { conversions: items.map((i) => i.conversion), partialFailure: true, validateOnly: config.validateOnly ?? false };
  const result = await postJson(url, body, { ...headers, ...traceHeaders(target) }, GOOGLE_ADS_TIMEOUT_MS);
  if ('networkError' in result) return { ok: false, retryable: true, reason: `google ads ${result.networkError}` };
  const { response } = result;
  const answer = (await response.json().catch(() => null)) as { partialFailureError?: RpcStatus; error?: RpcStatus } | null;
  if (response.ok) return { ok: true, rejected: rowRejections(answer?.partialFailureError, items.length) };
  if (response.status === 401) forgetAccessToken(config);
  const error = answer?.error;
  const retryable = isRetryableStatus(response.status) || response.status === 401 || RETRYABLE_STATUSES.has(error?.status ?? '');
  return failure(response, retryable, shortReason(`google ads ${response.status} ${error?.status ?? ''}: ${describe(error)}`), refusesWholeRequest(response.status));
}

/** Partial-failure rows by index into the request's `conversions`. */
function rowRejections(status: RpcStatus | undefined, count: number): ItemRejection[] {
  const rejected: ItemRejection[] = [];
  for (const error of status?.details?.flatMap((d) => d.errors ?? []) ?? []) {
    const index = error.location?.fieldPathElements?.find((e) => e.fieldName === 'conversions')?.index;
    if (index === undefined || index < 0 || index >= count) continue;
    rejected.push({ index, reason: shortReason(`google ads ${codeOf(error)}: ${error.message ?? ''}`) });
  }
  return rejected;
}

function codeOf(error: GoogleAdsError): string {
  return Object.values(error.errorCode ?? {})[0] ?? 'ERROR';
}

function describe(status: RpcStatus | undefined): string {
  const first = status?.details?.[0]?.errors?.[0];
  return first ? `${codeOf(first)} ${first.message ?? ''}` : (status?.message ?? 'no error body');
}
