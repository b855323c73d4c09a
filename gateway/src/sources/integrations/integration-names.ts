import type { DestinationConfig } from '../../site-config/site-config.ts';

/** A Sluice destination type (`meta`, `ga4`, `google_ads`, `tiktok`, `warehouse`). */
export type DestinationType = DestinationConfig['type'];

/**
 * Segment's and RudderStack's destination names (their `integrations` keys) → the Sluice destination
 * type that does the same job. Keys are compared case-insensitively with spaces, dashes, dots and
 * underscores ignored (`normalizedIntegrationName`), so `"Google Analytics 4"`, `"google_analytics_4"`
 * and `"GA4"` are one entry. Names from the Segment catalog (segment.com/catalog/destinations) and
 * RudderStack's integration keys (rudderstack.com/docs/destinations: `FB_PIXEL`, `GA4`,
 * `GOOGLEADS`, `TIKTOK_ADS`, …). A name that is not here is ignored (see `integrationsSkip`).
 */
export const INTEGRATION_NAMES: Readonly<Record<string, DestinationType>> = {
  // Meta: the Conversions API destinations (Sluice's meta is server-side CAPI). Browser pixels
  // (`Facebook Pixel`, `FB_PIXEL`) are left out on purpose: senders switch those off on server
  // events exactly because a server sends through CAPI instead.
  'Facebook Conversions API': 'meta',
  'Facebook Conversions API (Actions)': 'meta',
  'Meta Conversions API': 'meta',
  Facebook: 'meta',
  Meta: 'meta',
  FACEBOOK_CONVERSIONS: 'meta',
  // Google Analytics 4 (the Measurement Protocol destinations; not Universal Analytics, not gtag in the page).
  'Google Analytics 4': 'ga4',
  'Google Analytics 4 Cloud': 'ga4',
  GA4: 'ga4',
  // Google Ads conversions.
  'Google Ads Conversions': 'google_ads',
  'Google AdWords New': 'google_ads',
  'Google Ads': 'google_ads',
  GOOGLEADS: 'google_ads',
  GOOGLE_ADWORDS_OFFLINE_CONVERSIONS: 'google_ads',
  GOOGLE_ADWORDS_ENHANCED_CONVERSIONS: 'google_ads',
  // TikTok.
  'TikTok Conversions': 'tiktok',
  'TikTok Events API': 'tiktok',
  TikTok: 'tiktok',
  TIKTOK_ADS: 'tiktok',
  // The warehouse landing (Segment's warehouse and object-storage destinations, RudderStack's).
  Warehouse: 'warehouse',
  Warehouses: 'warehouse',
  'Amazon S3': 'warehouse',
  'Google Cloud Storage': 'warehouse',
  BigQuery: 'warehouse',
  Snowflake: 'warehouse',
  Redshift: 'warehouse',
  Postgres: 'warehouse',
  Databricks: 'warehouse',
  S3: 'warehouse',
  GCS: 'warehouse',
  BQ: 'warehouse',
  SNOWFLAKE: 'warehouse',
  RS: 'warehouse',
  POSTGRES: 'warehouse',
  DELTALAKE: 'warehouse',
};

/**
 * The form an `integrations` key is compared in: lower case, without spaces, dashes, dots, underscores
 * or parentheses.
 * @example normalizedIntegrationName('Google Analytics 4') === normalizedIntegrationName('google_analytics_4') // true
 */
export function normalizedIntegrationName(name: string): string {
  return name.toLowerCase().replace(/[\s_.()-]+/g, '');
}

const BY_NORMALIZED = new Map(Object.entries(INTEGRATION_NAMES).map(([name, type]) => [normalizedIntegrationName(name), type]));

/**
 * The Sluice destination type an `integrations` key names, or undefined when it names none we know.
 * @example integrationType('Facebook Conversions API') // 'meta'
 */
export function integrationType(name: string): DestinationType | undefined {
  return BY_NORMALIZED.get(normalizedIntegrationName(name));
}
