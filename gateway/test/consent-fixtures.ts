import { env, createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { GppModel } from '@iabgpp/cmpapi';
import worker from '../src/index.ts';
import examplePolicy from '../../consent/policies/example-global.json';
import type { Env } from '../src/env.ts';
import type { ConsentReceipt } from '@sluice/consent';
import { isBatchMessage, itemMessage, queuedDelivery, type QueuedDelivery } from '../src/delivery/delivery-message.ts';
import { clearPolicyCache } from '../src/consent/live-policy.ts';
import { clearGvlCache } from '../src/consent/live-gvl.ts';
import { seedSite, site, WRITE_KEY, ORIGIN } from './fixtures.ts';

export const ADMIN = { authorization: `Bearer ${env.ADMIN_TOKEN}`, 'content-type': 'application/json' };

/** The shipped example policy plus a second Meta pixel gated on measurement only. */
export function testPolicy(): Record<string, any> {
  const policy = structuredClone(examplePolicy) as Record<string, any>;
  policy.destinations.meta_measurement = { requires: { all: ['measurement'] } };
  return policy;
}

/** The test site with two Meta destinations: `meta` (advertising) and `meta_measurement`. */
export async function seedConsentSite(): Promise<void> {
  await seedSite({ ...site, destinations: { ...site.destinations, meta_measurement: { type: 'meta', pixelId: '9876543210', accessTokenSecret: 'META_TOKEN_TEST' } } });
  clearPolicyCache();
  clearGvlCache();
}

export async function putPolicy(policy: unknown): Promise<Response> {
  const response = await worker.fetch(new Request(`https://gw.example/v1/admin/sites/${site.id}/policy`, { method: 'PUT', headers: ADMIN, body: JSON.stringify(policy) }), env as Env, createExecutionContext());
  return response;
}

/** A queue binding that records what ingest sends (the consumer is tested elsewhere against the sink). */
export function recordingQueue() {
  const sent: QueuedDelivery[] = [];
  const queue = {
    async send(body: QueuedDelivery) { sent.push(body); },
    async sendBatch(messages: Iterable<{ body: QueuedDelivery }>) { for (const m of messages) sent.push(queuedDelivery(m.body)); },
  };
  return { sent, queue: queue as unknown as Queue<QueuedDelivery> };
}

export interface IngestOptions {
  cf?: { country?: string; regionCode?: string };
  secGpc?: boolean;
  /** The client IP the edge reports (`cf-connecting-ip`). */
  ip?: string;
}

/** POSTs a batch through the real worker with edge geo in `request.cf`, recording the queue. */
export async function ingest(events: unknown[], options: IngestOptions = {}) {
  const { sent, queue } = recordingQueue();
  const headers: Record<string, string> = { origin: ORIGIN, 'content-type': 'text/plain' };
  if (options.secGpc) headers['sec-gpc'] = '1';
  if (options.ip) headers['cf-connecting-ip'] = options.ip;
  const request = new Request(`https://gw.example/v1/batch?key=${WRITE_KEY}`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ sentAt: new Date().toISOString(), events }),
    cf: options.cf ?? {},
  } as RequestInit);
  const ctx = createExecutionContext();
  // Every delivery queue records, so the test sees what each destination would get.
  const queues = { DELIVERY: queue, DELIVERY_META: queue, DELIVERY_GA4: queue, DELIVERY_GOOGLE_ADS: queue, DELIVERY_TIKTOK: queue };
  const response = await worker.fetch(request, { ...(env as Env), ...queues } as Env, ctx);
  await waitOnExecutionContext(ctx);
  return { response, sent: await perItem(sent) };
}

/** One queued delivery per (event, destination), whichever message form carried it, with its receipt read back from D1 by hash. */
export interface QueuedItem {
  siteId: string;
  destinationKey: string;
  eventId: string;
  item: unknown;
  expiresAt?: number;
  receiptHash?: string;
  receipt?: ConsentReceipt;
}

export async function perItem(messages: QueuedDelivery[]): Promise<QueuedItem[]> {
  const items: QueuedItem[] = messages.flatMap((m) => (isBatchMessage(m) ? m.items.map((i) => itemMessage(m, i)) : [m]));
  for (const item of items) {
    if (!item.receiptHash) continue;
    const row = await env.DB.prepare('SELECT receipt FROM consent_receipts WHERE site_id = ? AND hash = ?').bind(item.siteId, item.receiptHash).first<{ receipt: string }>();
    if (row) item.receipt = JSON.parse(row.receipt) as ConsentReceipt;
  }
  return items;
}

export function gppString(fields: Array<[string, string, unknown]>): string {
  const model = new GppModel();
  for (const [s, f, v] of fields) model.setFieldValue(s, f, v);
  return model.encode();
}

export async function auditFor(eventId: string) {
  const { results } = await env.DB.prepare(
    'SELECT a.destination, a.decision, a.rule, a.policy_version, a.jurisdiction, r.receipt FROM consent_audit a JOIN consent_receipts r ON r.site_id = a.site_id AND r.hash = a.receipt_hash WHERE a.event_id = ? ORDER BY a.destination',
  )
    .bind(eventId)
    .all<{ destination: string; decision: string; rule: string; policy_version: string; jurisdiction: string; receipt: string }>();
  return results;
}
