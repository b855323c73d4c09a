import type { Env } from '../env.ts';
import { destinationFor } from '../destinations/registry.ts';
import { loadSite } from '../site-config/load-site-config.ts';
import { backoffSeconds } from './backoff.ts';
import type { DeliveryMessage } from './delivery-message.ts';
import { chunk, groupBy } from './group-messages.ts';
import { recordDeadLetter, recordOutcome } from './delivery-log.ts';

/**
 * Queue consumer: sends messages per (site, destination) in vendor-sized requests.
 * Success acks; retryable failures retry with backoff (the queue moves them to the
 * dead-letter queue after max_retries); permanent failures are dead-lettered at once.
 */
export async function deliverBatch(batch: MessageBatch<DeliveryMessage>, env: Env): Promise<void> {
  const groups = groupBy(batch.messages, (m) => `${m.body.siteId}\u0000${m.body.destinationKey}`);
  await Promise.all([...groups.values()].map((messages) => deliverGroup(messages, env)));
}

async function deliverGroup(messages: Message<DeliveryMessage>[], env: Env): Promise<void> {
  const { siteId, destinationKey } = messages[0]!.body;
  const config = (await loadSite(env.CONFIG, siteId))?.destinations[destinationKey];
  if (!config) {
    await Promise.all(messages.map((m) => deadLetter(m, env, `destination ${destinationKey} is not configured`)));
    return;
  }
  const destination = destinationFor(config);
  for (const part of chunk(messages, destination.maxBatchSize)) {
    const outcome = await destination.send(part.map((m) => m.body.item), config, env);
    if (outcome.ok) {
      await Promise.all(part.map((m) => recordOutcome(env, m.body, 'delivered')));
      part.forEach((m) => m.ack());
    } else if (outcome.retryable) {
      await Promise.all(part.map((m) => recordOutcome(env, m.body, 'retried', outcome.reason)));
      part.forEach((m) => m.retry({ delaySeconds: backoffSeconds(m.attempts, outcome.retryAfterSeconds) }));
    } else {
      await Promise.all(part.map((m) => deadLetter(m, env, outcome.reason)));
    }
  }
}

async function deadLetter(message: Message<DeliveryMessage>, env: Env, reason: string): Promise<void> {
  await recordDeadLetter(env, message.body, reason);
  message.ack();
}
