import type { Env } from '../env.ts';
import type { DeliveryMessage } from './delivery-message.ts';
import { recordDeadLetter } from './delivery-log.ts';

/** Consumer of the dead-letter queue: messages that ran out of retries are kept in D1 for replay. */
export async function storeDeadLetters(batch: MessageBatch<DeliveryMessage>, env: Env): Promise<void> {
  for (const message of batch.messages) {
    await recordDeadLetter(env, message.body, `retries exhausted after ${message.attempts} attempts`);
    message.ack();
  }
}
