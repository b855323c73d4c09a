import type { QueuedBody } from './delivery/delivery-message.ts';

/** Bindings and vars of the gateway worker (see wrangler.toml). Secrets are read by name from `env`. */
export interface Env {
  CONFIG: KVNamespace;
  DELIVERY: Queue<QueuedBody>;
  DEAD_LETTERS: Queue<QueuedBody>;
  EVENT_IDS: DurableObjectNamespace<import('./dedup/event-id-ledger.ts').EventIdLedger>;
  DB: D1Database;
  /** One bandit per (site, experiment) (gateway/src/decide). */
  DECIDE: DurableObjectNamespace<import('./decide/experiment-bandit.ts').ExperimentBandit>;
  ASSETS: Fetcher;
  META_API_BASE_URL: string;
  META_API_VERSION: string;
  /** Secret for `/v1/admin/*` consent policy and GVL routes (Bearer token, compared in constant time). */
  ADMIN_TOKEN?: string;
  /** Secret: a read-only admin token — console, status, reports, records; every write answers 403. */
  ADMIN_READONLY_TOKEN?: string;
  /** Google Analytics User Deletion API base URL (default https://www.googleapis.com; the local sink in tests). */
  GA_USER_DELETION_API_BASE_URL?: string;
  /** Secret: a dedicated Bearer token for Prometheus scrapes of `/metrics`. */
  METRICS_TOKEN?: string;
  /** Local runs only: stands in for Cloudflare edge geo (`DE`, `US-CA`); unset in production. */
  GEO_OVERRIDE?: string;
  /** Share of successful (< 400) requests that get a request log line, "0"–"1" (default "1": all); errors are always logged (observability/). */
  LOG_SUCCESS_SAMPLE?: string;
  GA4_API_BASE_URL: string;
  GOOGLE_ADS_API_BASE_URL: string;
  GOOGLE_ADS_API_VERSION: string;
  GOOGLE_OAUTH_BASE_URL: string;
  TIKTOK_API_BASE_URL: string;
  /** One delivery queue per destination type (see wrangler.toml). */
  DELIVERY_META: Queue<QueuedBody>;
  DELIVERY_GA4: Queue<QueuedBody>;
  DELIVERY_GOOGLE_ADS: Queue<QueuedBody>;
  DELIVERY_TIKTOK: Queue<QueuedBody>;
  /** Ingest rate limits (wrangler.toml `[[ratelimits]]`): per client IP and per write key. */
  RATE_LIMIT_IP?: RateLimit;
  RATE_LIMIT_WRITE_KEY?: RateLimit;
  /** Reports (issue 11): sharded aggregate counters and the per-site privacy budget ledger. */
  AGGREGATES: DurableObjectNamespace<import('./reports/aggregate-shard.ts').AggregateShard>;
  BUDGET_LEDGER: DurableObjectNamespace<import('./reports/budget-ledger.ts').PrivacyBudgetLedger>;
  /** Read-only reporting token (secret) for `/v1/reports/*`, besides ADMIN_TOKEN. */
  REPORT_TOKEN?: string;
  /** Warehouse landing (destinations/warehouse): its delivery queue, the R2 bucket of Parquet files, one writer per destination. */
  DELIVERY_WAREHOUSE: Queue<QueuedBody>;
  WAREHOUSE: R2Bucket;
  WAREHOUSE_WRITER: DurableObjectNamespace<import('./destinations/warehouse/warehouse-writer.ts').WarehouseWriter>;
  /** Secrets (`wrangler secret put` / `.dev.vars`) are looked up by the names site configs give. */
  [secret: string]: unknown;
}
