import { app } from './app.ts';
import { deliverBatch } from './delivery/deliver-batch.ts';
import type { DeliveryMessage } from './delivery/delivery-message.ts';
import { storeDeadLetters } from './delivery/store-dead-letters.ts';
import { pruneDeliveryState } from './delivery/prune-delivery-state.ts';
import { maintainWarehouses } from './destinations/warehouse/maintain-warehouses.ts';
import type { Env } from './env.ts';

export { EventIdLedger } from './dedup/event-id-ledger.ts';
export { WarehouseWriter } from './destinations/warehouse/warehouse-writer.ts';
export { app };
export type { Env };

/** Dead-letter queue name from wrangler.toml; every other queue is a delivery queue. */
const DEAD_LETTER_QUEUE = 'sluice-delivery-dlq';

export default {
  fetch: app.fetch,
  async queue(batch, env, _ctx) {
    if (batch.queue === DEAD_LETTER_QUEUE) await storeDeadLetters(batch, env);
    else await deliverBatch(batch, env);
  },
  async scheduled(_controller, env) {
    await pruneDeliveryState(env);
    await maintainWarehouses(env);
  },
} satisfies ExportedHandler<Env, DeliveryMessage>;
