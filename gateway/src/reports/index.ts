/**
 * Privacy-safe reports: aggregation at ingest (`countAggregates`), sharded counters
 * (`AggregateShard`), the per-site budget ledger (`PrivacyBudgetLedger`) and the report API
 * (`reportRoute`). The math lives in `@sluice/privacy`.
 */
export { countAggregates } from './count-aggregates.ts';
export { AggregateShard } from './aggregate-shard.ts';
export { PrivacyBudgetLedger } from './budget-ledger.ts';
export { reportRoute } from './report-route.ts';
export { ReportConfig } from './report-config.ts';
