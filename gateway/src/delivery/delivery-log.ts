import type { Env } from '../env.ts';
import type { DeliveryMessage } from './delivery-message.ts';

export type DeliveryOutcome = 'delivered' | 'retried' | 'dead_lettered';

/** Appends one delivery outcome to D1 (event id and destination only: no payload). */
export async function recordOutcome(env: Env, message: DeliveryMessage, outcome: DeliveryOutcome, detail?: string): Promise<void> {
  await env.DB.prepare(
    'INSERT INTO delivery_log (site_id, destination, event_id, outcome, detail, created_at) VALUES (?, ?, ?, ?, ?, ?)',
  )
    .bind(message.siteId, message.destinationKey, message.eventId, outcome, detail ?? null, Date.now())
    .run();
}

/** Stores a dead letter with the vendor's reason. The payload is the hashed, vendor-shaped item. */
export async function recordDeadLetter(env: Env, message: DeliveryMessage, reason: string): Promise<void> {
  await env.DB.batch([
    env.DB.prepare(
      'INSERT INTO dead_letters (site_id, destination, event_id, reason, payload, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    ).bind(message.siteId, message.destinationKey, message.eventId, reason, JSON.stringify(message.item), Date.now()),
    env.DB.prepare(
      'INSERT INTO delivery_log (site_id, destination, event_id, outcome, detail, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    ).bind(message.siteId, message.destinationKey, message.eventId, 'dead_lettered', reason, Date.now()),
  ]);
}
