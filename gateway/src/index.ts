import { app } from './app.ts';
import { deliverBatch } from './delivery/deliver-batch.ts';
import type { QueuedBody } from './delivery/delivery-message.ts';
import { storeDeadLetters } from './delivery/store-dead-letters.ts';
import { pruneDeliveryState } from './delivery/prune-delivery-state.ts';
import { pruneConsentAudit } from './consent/write-audit.ts';
import { maintainWarehouses } from './destinations/warehouse/maintain-warehouses.ts';
import type { Env } from './env.ts';
import { runRetention } from './rights/run-retention.ts';

export { EventIdLedger } from './dedup/event-id-ledger.ts';
export { AggregateShard } from './reports/aggregate-shard.ts';
export { PrivacyBudgetLedger } from './reports/budget-ledger.ts';
export { ExperimentBandit } from './decide/experiment-bandit.ts';
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
    // Consent audit rows and receipts past the policy's `retention.auditLog` (daily, off the ingest path).
    await pruneConsentAudit(env.DB, Date.now());
    // Per-site TTLs of every store in rights/data-stores.ts; counts kept in retention_runs.
    await runRetention(env, Date.now());
    await maintainWarehouses(env);
  },
} satisfies ExportedHandler<Env, QueuedBody>;
