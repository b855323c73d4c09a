import { env, createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import worker from '../src/index.ts';
import type { Env } from '../src/env.ts';
import { isBatchMessage, itemMessage, queuedDelivery, type DeliveryMessage, type QueuedDelivery } from '../src/delivery/delivery-message.ts';

/**
 * Queues that record what ingest sends instead of delivering it. Ingest queues batch messages (one
 * per destination); each item is kept as the single-item message it expands to for the consumer.
 */
export function recordingQueues() {
  const sent: DeliveryMessage[] = [];
  const record = (body: QueuedDelivery) => {
    if (!isBatchMessage(body)) return void sent.push(body);
    for (const item of body.items) sent.push(itemMessage(body, item));
  };
  const queue = { async send(b: QueuedDelivery) { record(b); }, async sendBatch(ms: Iterable<{ body: QueuedDelivery }>) { for (const m of ms) record(queuedDelivery(m.body)); } };
  const queues = { DELIVERY: queue, DELIVERY_META: queue, DELIVERY_GA4: queue, DELIVERY_GOOGLE_ADS: queue, DELIVERY_TIKTOK: queue, DELIVERY_WAREHOUSE: queue };
  return { sent, queues };
}

/** `POST /v1/batch` from a browser on `origin`, placed in `cf` (default Germany; `null`: no edge geo), with recording queues. */
export async function ingestRecorded(key: string, events: unknown[], options: { origin: string; cf?: Record<string, string> | null }) {
  const { sent, queues } = recordingQueues();
  const ctx = createExecutionContext();
  const response = await worker.fetch(
    new Request(`https://gw.example/v1/batch?key=${key}`, { method: 'POST', headers: { origin: options.origin, 'content-type': 'text/plain' }, body: JSON.stringify({ sentAt: new Date().toISOString(), events }), ...(options.cf !== null && { cf: options.cf ?? { country: 'DE' } }) } as RequestInit),
    { ...(env as Env), ...queues } as unknown as Env,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return { response, status: response.status, body: (await response.json()) as any, sent };
}

/** An admin call with the full admin token; the JSON answer. */
export async function adminCall(path: string, init: RequestInit = {}) {
  const headers = { authorization: `Bearer ${env.ADMIN_TOKEN}`, 'content-type': 'application/json' };
  const response = await worker.fetch(new Request(`https://gw.example${path}`, { ...init, headers }), env as Env, createExecutionContext());
  return { status: response.status, body: (await response.json()) as any };
}
