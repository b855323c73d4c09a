import type { DeliveryMessage } from './delivery/delivery-message.ts';

/** Bindings and vars of the gateway worker (see wrangler.toml). Secrets are read by name from `env`. */
export interface Env {
  CONFIG: KVNamespace;
  DELIVERY: Queue<DeliveryMessage>;
  DEAD_LETTERS: Queue<DeliveryMessage>;
  EVENT_IDS: DurableObjectNamespace<import('./dedup/event-id-ledger.ts').EventIdLedger>;
  DB: D1Database;
  ASSETS: Fetcher;
  META_API_BASE_URL: string;
  META_API_VERSION: string;
  /** Secret for `/v1/admin/*` consent policy and GVL routes (Bearer token, compared in constant time). */
  ADMIN_TOKEN?: string;
  /** Local runs only: stands in for Cloudflare edge geo (`DE`, `US-CA`); unset in production. */
  GEO_OVERRIDE?: string;
  GA4_API_BASE_URL: string;
  GOOGLE_ADS_API_BASE_URL: string;
  GOOGLE_ADS_API_VERSION: string;
  GOOGLE_OAUTH_BASE_URL: string;
  TIKTOK_API_BASE_URL: string;
  /** One delivery queue per destination type (see wrangler.toml). */
  DELIVERY_META: Queue<DeliveryMessage>;
  DELIVERY_GA4: Queue<DeliveryMessage>;
  DELIVERY_GOOGLE_ADS: Queue<DeliveryMessage>;
  DELIVERY_TIKTOK: Queue<DeliveryMessage>;
  /** Warehouse landing (destinations/warehouse): its delivery queue, the R2 bucket of Parquet files, one writer per destination. */
  DELIVERY_WAREHOUSE: Queue<DeliveryMessage>;
  WAREHOUSE: R2Bucket;
  WAREHOUSE_WRITER: DurableObjectNamespace<import('./destinations/warehouse/warehouse-writer.ts').WarehouseWriter>;
  /** Secrets (`wrangler secret put` / `.dev.vars`) are looked up by the names site configs give. */
  [secret: string]: unknown;
}
