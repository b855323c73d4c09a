import type { Env } from '../env.ts';
import { destinationFor } from '../destinations/registry.ts';
import { loadSite } from '../site-config/load-site-config.ts';
import { storable } from './deliver-batch.ts';
import { alreadyDelivered } from './delivered-ledger.ts';
import type { DeliveryMessage } from './delivery-message.ts';
import { groupBy } from './group-messages.ts';
import { dropPurged } from '../rights/drop-purged.ts';
import { recordDeadLetters, recordOutcomes } from './delivery-log.ts';

/**
 * Consumer of the dead-letter queue: messages that ran out of retries are kept in D1 for replay,
 * with the last reason they were retried for. An id the destination accepted meanwhile is only counted as a duplicate.
 */
export async function storeDeadLetters(batch: MessageBatch<DeliveryMessage>, env: Env): Promise<void> {
  // A deleted person's items are acked, never kept as dead letters (rights/drop-purged.ts).
  const groups = groupBy(await dropPurged(env.DB, batch.messages), (m) => `${m.body.siteId}\u0000${m.body.destinationKey}`);
  for (const messages of groups.values()) {
    const { siteId, destinationKey } = messages[0]!.body;
    const config = (await loadSite(env.CONFIG, siteId))?.destinations[destinationKey];
    const destination = config && destinationFor(config);
    const delivered = await alreadyDelivered(env, siteId, destinationKey, messages.map((m) => m.body.eventId));
    const duplicates = messages.filter((m) => delivered.has(m.body.eventId));
    const dead = messages.filter((m) => !delivered.has(m.body.eventId));
    await recordOutcomes(env, duplicates.map((m) => ({ message: m.body, outcome: 'duplicate' })));
    const reasons = await lastReasons(env, dead.map((m) => m.body));
    await recordDeadLetters(
      env,
      dead.map((m) => ({
        message: { ...m.body, item: storable(m.body.item, destination) },
        reason: `retries exhausted after ${m.attempts} attempts${reasons.get(m.body.eventId) ? `; last: ${reasons.get(m.body.eventId)}` : ''}`,
      })),
    );
    messages.forEach((m) => m.ack());
  }
}

/** The last retry reason logged for each message (vendor text, no personal data). */
async function lastReasons(env: Env, bodies: DeliveryMessage[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const body of bodies) {
    const row = await env.DB.prepare(
      "SELECT detail FROM delivery_log WHERE site_id = ? AND destination = ? AND event_id = ? AND outcome = 'retried' ORDER BY id DESC LIMIT 1",
    )
      .bind(body.siteId, body.destinationKey, body.eventId)
      .first<{ detail: string | null }>();
    if (row?.detail) out.set(body.eventId, row.detail);
  }
  return out;
}
