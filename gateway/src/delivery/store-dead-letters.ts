import type { Env } from '../env.ts';
import { destinationFor } from '../destinations/registry.ts';
import { loadSite } from '../site-config/load-site-config.ts';
import { storable } from './deliver-batch.ts';
import { alreadyDelivered } from './delivered-ledger.ts';
import { D1_MAX_BOUND_PARAMETERS } from './d1-chunks.ts';
import { isBatchMessage, itemMessage, queuedDelivery, type DeliveryMessage, type QueuedBody } from './delivery-message.ts';
import { groupBy } from './group-messages.ts';
import { dropPurged } from '../rights/drop-purged.ts';
import { recordDeadLetters, recordOutcomes } from './delivery-log.ts';

interface Exhausted {
  body: DeliveryMessage;
  attempts: number;
}

/**
 * Consumer of the dead-letter queue: messages that ran out of retries are kept in D1 for replay,
 * item by item (batch messages hold several), with the last reason they were retried for. An id
 * the destination accepted meanwhile is only counted as a duplicate.
 */
export async function storeDeadLetters(batch: MessageBatch<QueuedBody>, env: Env): Promise<void> {
  const items: Exhausted[] = batch.messages.flatMap((m) => {
    const body = queuedDelivery(m.body);
    if (!isBatchMessage(body)) return [{ body, attempts: m.attempts }];
    const attempts = m.attempts + (body.priorAttempts ?? 0);
    return body.items.map((item) => ({ body: itemMessage(body, item), attempts }));
  });
  // A deleted person's items are never kept as dead letters (rights/drop-purged.ts); every
  // message is acked below either way.
  const live = await dropPurged(env.DB, items.map((m) => ({ ...m, ack() {} })));
  const groups = groupBy(live, (m) => `${m.body.siteId}\u0000${m.body.destinationKey}`);
  for (const group of groups.values()) {
    const { siteId, destinationKey } = group[0]!.body;
    const config = (await loadSite(env.CONFIG, siteId))?.destinations[destinationKey];
    const destination = config && destinationFor(config);
    const delivered = await alreadyDelivered(env, siteId, destinationKey, group.map((m) => m.body.eventId));
    const duplicates = group.filter((m) => delivered.has(m.body.eventId));
    const dead = group.filter((m) => !delivered.has(m.body.eventId));
    await recordOutcomes(env, duplicates.map((m) => ({ message: m.body, outcome: 'duplicate' })));
    const reasons = await lastReasons(env, siteId, destinationKey, dead.map((m) => m.body.eventId));
    await recordDeadLetters(
      env,
      dead.map((m) => ({
        message: { ...m.body, item: storable(m.body.item, destination) },
        reason: `retries exhausted after ${m.attempts} attempts${reasons.get(m.body.eventId) ? `; last: ${reasons.get(m.body.eventId)}` : ''}`,
      })),
    );
  }
  batch.messages.forEach((m) => m.ack());
}

/** The last retry reason logged for each event id (vendor text, no personal data), a query per 97 ids. */
async function lastReasons(env: Env, siteId: string, destinationKey: string, eventIds: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const per = D1_MAX_BOUND_PARAMETERS - 3;
  for (let i = 0; i < eventIds.length; i += per) {
    const part = eventIds.slice(i, i + per);
    const { results } = await env.DB.prepare(
      `SELECT event_id, detail FROM delivery_log WHERE site_id = ? AND destination = ? AND outcome = 'retried' AND event_id IN (${part.map(() => '?').join(', ')}) ORDER BY id ASC`,
    )
      .bind(siteId, destinationKey, ...part)
      .all<{ event_id: string; detail: string | null }>();
    // Ascending by id: the last row per event wins.
    for (const row of results) if (row.detail) out.set(row.event_id, row.detail);
  }
  return out;
}
