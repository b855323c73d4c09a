import { PROTOCOL_VERSION } from '@sluice/protocol';

/**
 * Version of the warehouse file schema, tied to the wire protocol: `<protocol major>.<schema rev>`.
 * Every file carries it (column `schema_version` and the Parquet key-value metadata), so a reader
 * can tell files apart after a change. Adding a nullable column bumps the revision; renaming or
 * retyping one needs a new protocol major (and a new table in the catalog).
 */
export const WAREHOUSE_SCHEMA_VERSION = `${PROTOCOL_VERSION}.1` as const;

/**
 * One landed event: consented, minimized, identities hashed (WAREHOUSE_PROFILE), IP truncated.
 * Never a raw email, phone, name or full IP. Times are epoch milliseconds (UTC).
 */
export interface WarehouseRow {
  event_id: string;
  event_type: 'track' | 'page' | 'identify';
  /** The track name, `PageView` for page events, `Identify` for identify events. */
  event_name: string;
  event_time: number;
  received_at: number;
  anonymous_id_hash: string | null;
  email_hash: string | null;
  phone_hash: string | null;
  /** `user.externalId`, else `userId`: the same hash Meta and TikTok receive as `external_id`. */
  external_id_hash: string | null;
  /** IPv4 /24 or IPv6 /48 network, never the address. */
  ip_truncated: string | null;
  user_agent: string | null;
  locale: string | null;
  page_url: string | null;
  page_referrer: string | null;
  page_title: string | null;
  utm_source: string | null;
  utm_medium: string | null;
  utm_campaign: string | null;
  session_id: string | null;
  /** `full`, or `limited` when the policy sends the event in limited-data-use mode. */
  consent_mode: 'full' | 'limited';
  /** The event's properties with personal-looking keys and values removed (a Parquet JSON column). */
  properties: Record<string, unknown> | null;
}

type ColumnType = 'STRING' | 'TIMESTAMP' | 'JSON';

/** The Parquet columns, in file order. Types are explicit: a file with only nulls in a column still has the same schema. */
export const WAREHOUSE_COLUMNS: ReadonlyArray<{ name: keyof WarehouseRow; type: ColumnType; nullable: boolean }> = [
  { name: 'event_id', type: 'STRING', nullable: false },
  { name: 'event_type', type: 'STRING', nullable: false },
  { name: 'event_name', type: 'STRING', nullable: false },
  { name: 'event_time', type: 'TIMESTAMP', nullable: false },
  { name: 'received_at', type: 'TIMESTAMP', nullable: false },
  { name: 'anonymous_id_hash', type: 'STRING', nullable: true },
  { name: 'email_hash', type: 'STRING', nullable: true },
  { name: 'phone_hash', type: 'STRING', nullable: true },
  { name: 'external_id_hash', type: 'STRING', nullable: true },
  { name: 'ip_truncated', type: 'STRING', nullable: true },
  { name: 'user_agent', type: 'STRING', nullable: true },
  { name: 'locale', type: 'STRING', nullable: true },
  { name: 'page_url', type: 'STRING', nullable: true },
  { name: 'page_referrer', type: 'STRING', nullable: true },
  { name: 'page_title', type: 'STRING', nullable: true },
  { name: 'utm_source', type: 'STRING', nullable: true },
  { name: 'utm_medium', type: 'STRING', nullable: true },
  { name: 'utm_campaign', type: 'STRING', nullable: true },
  { name: 'session_id', type: 'STRING', nullable: true },
  { name: 'consent_mode', type: 'STRING', nullable: false },
  { name: 'properties', type: 'JSON', nullable: true },
];
