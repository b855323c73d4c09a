import { z } from 'zod';
import { normalizeCountry } from '../identity/normalize-country.ts';

/** Names a worker secret (`wrangler secret put NAME`); credentials never live in KV. */
const SecretName = z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'names a worker secret');

/** Meta Conversions API destination. The access token lives in a secret named here, never in KV. */
export const MetaDestinationConfig = z.strictObject({
  type: z.literal('meta'),
  pixelId: z.string().regex(/^\d{5,20}$/, 'pixelId must be the numeric pixel or dataset id'),
  accessTokenSecret: SecretName,
  testEventCode: z.string().max(64).optional(),
});
export type MetaDestinationConfig = z.infer<typeof MetaDestinationConfig>;

/** GA4 Measurement Protocol (web stream). `validationMode` posts to `/debug/mp/collect` instead: nothing is recorded. */
export const Ga4DestinationConfig = z.strictObject({
  type: z.literal('ga4'),
  measurementId: z.string().regex(/^G-[A-Z0-9]{4,20}$/, 'measurementId is the G-XXXX id of a web data stream'),
  apiSecretSecret: SecretName,
  validationMode: z.boolean().optional(),
  /**
   * Deletion requests (Google Analytics User Deletion API, scope analytics.user.deletion): the
   * numeric GA4 property id and OAuth2 refresh-token credentials, as secrets. Without it, GA4 gets no deletion request.
   */
  userDeletion: z
    .strictObject({
      propertyId: z.string().regex(/^\d{1,20}$/, 'propertyId is the numeric GA4 property id'),
      oauthClientIdSecret: SecretName,
      oauthClientSecretSecret: SecretName,
      oauthRefreshTokenSecret: SecretName,
    })
    .optional(),
});
export type Ga4DestinationConfig = z.infer<typeof Ga4DestinationConfig>;

/**
 * Google Ads click conversions with enhanced-conversion identifiers (`uploadClickConversions`).
 * OAuth2 refresh-token credentials and the developer token are secrets named here.
 */
export const GoogleAdsDestinationConfig = z.strictObject({
  type: z.literal('google_ads'),
  customerId: z.string().regex(/^\d{10}$/, 'customerId is the 10-digit Google Ads customer id without dashes'),
  loginCustomerId: z.string().regex(/^\d{10}$/).optional(),
  conversionActionId: z.string().regex(/^\d{1,20}$/),
  /** Sluice event names uploaded as this conversion action (default: Purchase). */
  events: z.array(z.string().min(1).max(128)).min(1).max(50).optional(),
  developerTokenSecret: SecretName,
  oauthClientIdSecret: SecretName,
  oauthClientSecretSecret: SecretName,
  oauthRefreshTokenSecret: SecretName,
  validateOnly: z.boolean().optional(),
});
export type GoogleAdsDestinationConfig = z.infer<typeof GoogleAdsDestinationConfig>;

/** TikTok Events API 2.0 (v1.3 `event/track`), web events of one pixel. */
export const TikTokDestinationConfig = z.strictObject({
  type: z.literal('tiktok'),
  pixelCode: z.string().regex(/^[A-Z0-9]{10,40}$/, 'pixelCode is the TikTok pixel code'),
  accessTokenSecret: SecretName,
  testEventCode: z.string().max(64).optional(),
});
export type TikTokDestinationConfig = z.infer<typeof TikTokDestinationConfig>;

/**
 * Warehouse landing: consented, minimized events as Parquet in the `WAREHOUSE` R2 bucket,
 * Hive-partitioned under `prefix` (destinations/warehouse/README.md).
 */
export const WarehouseDestinationConfig = z.strictObject({
  type: z.literal('warehouse'),
  /** R2 key prefix of this destination's files (lowercase, digits, `-`, `_`, `/`). */
  prefix: z.string().regex(/^[a-z0-9]([a-z0-9/_-]{0,62}[a-z0-9])?$/, 'prefix: lowercase letters, digits, -, _ and /').optional(),
  /** Target file size in bytes (64 KB – 16 MB, a file is built in memory; default 1 MB). */
  targetFileBytes: z.number().int().min(64 * 1024).max(16 * 1024 * 1024).optional(),
  /** Longest a buffered event waits before its file is written (10 s – 1 h; default 180 s). */
  maxFileAgeSeconds: z.number().int().min(10).max(3600).optional(),
  /** How long landed files are kept, by event date (ISO 8601 duration; default P400D; the policy's `retention.warehouse` if shorter). */
  retention: z.string().regex(/^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?$/, 'an ISO 8601 duration in days or more, e.g. P400D').optional(),
});
export type WarehouseDestinationConfig = z.infer<typeof WarehouseDestinationConfig>;

export const DestinationConfig = z.discriminatedUnion('type', [
  MetaDestinationConfig,
  Ga4DestinationConfig,
  GoogleAdsDestinationConfig,
  TikTokDestinationConfig,
  WarehouseDestinationConfig,
]);
export type DestinationConfig = z.infer<typeof DestinationConfig>;

/** One site as stored in KV under `site:<id>`. Write keys map to it under `writekey:<key>`. */
/** Site ids: lowercase letters, digits and dashes, 1–63 characters (a DNS label; fits every KV and D1 key). */
export const SITE_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;

export const SiteConfig = z.strictObject({
  id: z.string().regex(SITE_ID_PATTERN),
  /** Exact origins (scheme://host[:port]) whose pages may send events. */
  allowedOrigins: z.array(z.url()).min(1),
  destinations: z.record(z.string().regex(/^[a-z0-9_-]{1,32}$/), DestinationConfig),
  /**
   * Where the site's customers mostly are: the default region for phone numbers written without
   * a country code when the event carries no address country (`07911 123456` with `GB`). Before
   * the request's edge country; see gateway/src/destinations/README.md.
   */
  defaultCountry: z
    .string()
    .regex(/^[A-Z]{2}$/, 'defaultCountry is an ISO 3166-1 alpha-2 code in capitals, e.g. GB')
    .refine((code) => normalizeCountry(code) === code.toLowerCase(), 'defaultCountry is not an ISO 3166-1 alpha-2 country')
    .optional(),
  /**
   * Server-side senders (no browser, no Origin): the secret they present as `Authorization: Bearer`
   * next to the write key. Names a worker secret; without it the site accepts browsers only.
   */
  sourceSecret: SecretName.optional(),
  /**
   * Where consent places a server source's events that relay no `context.location` (`"DE"`,
   * `"US-CA"`). Unset: unknown, read as the policy's strictest jurisdiction. Never the sending
   * server's own location (gateway/src/sources/README.md).
   */
  serverSourceLocation: z
    .string()
    .regex(/^[A-Z]{2}(-[A-Z0-9]{1,3})?$/, 'serverSourceLocation is an ISO 3166 code in capitals, e.g. DE or US-CA')
    .optional(),
});
export type SiteConfig = z.infer<typeof SiteConfig>;
