import type { Env } from '../../env.ts';
import type { Ga4DestinationConfig } from '../../site-config/site-config.ts';
import type { DeliveryTarget, SendOutcome } from '../destination.ts';
import { failure, isRetryableStatus, postJson, readSecret, refusesWholeRequest, shortReason, traceHeaders } from '../post-json.ts';
import type { Ga4Item } from './ga4-item.ts';

/** GA4 publishes no timeout advice; Meta's 1.5 s is a sane bound for an edge worker (answers are fast). */
export const GA4_TIMEOUT_MS = 1500;

/** The request body for items that share one batch key (same client, user, consent and user data). */
export function ga4Body(items: Ga4Item[]): Record<string, unknown> {
  const first = items[0]!;
  const body: Record<string, unknown> = { client_id: first.client_id, consent: first.consent };
  if (first.user_id) body.user_id = first.user_id;
  if (first.user_data) body.user_data = first.user_data;
  body.events = items.map((i) => i.event);
  return body;
}

/**
 * POSTs to `/mp/collect` (or `/debug/mp/collect` in validation mode). The live endpoint answers 2xx
 * even for garbage, so only validation mode can report problems: `validationMessages` → permanent failure.
 */
export async function sendToGa4(items: Ga4Item[], config: Ga4DestinationConfig, env: Env, target?: DeliveryTarget): Promise<SendOutcome> {
  const secret = readSecret(env, config.apiSecretSecret);
  if (!secret) return { ok: false, retryable: false, reason: `secret ${config.apiSecretSecret} is not set` };
  const path = config.validationMode ? '/debug/mp/collect' : '/mp/collect';
  const query = new URLSearchParams({ measurement_id: config.measurementId, api_secret: secret });
  const result = await postJson(`${env.GA4_API_BASE_URL}${path}?${query}`, ga4Body(items), traceHeaders(target), GA4_TIMEOUT_MS);
  if ('networkError' in result) return { ok: false, retryable: true, reason: `ga4 ${result.networkError}` };
  const { response } = result;
  if (!response.ok) {
    const text = await response.text().catch(() => '');
    return failure(response, isRetryableStatus(response.status), shortReason(`ga4 ${response.status}: ${text || response.statusText}`), refusesWholeRequest(response.status));
  }
  if (!config.validationMode) return { ok: true };
  const answer = (await response.json().catch(() => null)) as { validationMessages?: Array<{ fieldPath?: string; description?: string; validationCode?: string }> } | null;
  const messages = answer?.validationMessages ?? [];
  if (!messages.length) return { ok: true };
  const reason = messages.map((m) => `${m.validationCode ?? 'INVALID'} ${m.fieldPath ?? ''}: ${m.description ?? ''}`).join('; ');
  return { ok: false, retryable: false, reason: shortReason(`ga4 validation: ${reason}`) };
}
