/**
 * Dimensions a site may declare for its reports. Events carry the experiment and model ones in
 * `properties` (see {@link PROPERTY_OF} for the property each is read from). UTM values come
 * from `context.utm`, the country group from Cloudflare's edge geo (never from the client).
 */
export const DIMENSIONS = ['event', 'utmSource', 'utmMedium', 'utmCampaign', 'creative', 'experiment', 'arm', 'model', 'modelVersion', 'shadowAgrees', 'countryGroup'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

/** `day` is a query dimension too (UTC receive day); it is public, like the catalogue. */
export const QUERY_DIMENSIONS = ['day', ...DIMENSIONS] as const;
export type QueryDimension = (typeof QUERY_DIMENSIONS)[number];

/** The dimensions read from event `properties`. */
export const PROPERTY_DIMENSIONS = ['creative', 'experiment', 'arm', 'model', 'modelVersion', 'shadowAgrees'] as const satisfies readonly Dimension[];

/**
 * The `properties` key each property dimension is read from: the names the SDK's rank chunk
 * writes on `Slot Impression` / `Slot Click` (`model`, `model_version`, `shadow_top_agrees`);
 * a boolean is counted as `true` / `false`.
 * @example
 * PROPERTY_OF.modelVersion; // 'model_version'
 */
export const PROPERTY_OF: Readonly<Record<(typeof PROPERTY_DIMENSIONS)[number], string>> = {
  creative: 'creative',
  experiment: 'experiment',
  arm: 'arm',
  model: 'model',
  modelVersion: 'model_version',
  shadowAgrees: 'shadow_top_agrees',
};

/** Value of a dimension the event did not carry. Public: part of every key set. */
export const NONE = '(none)';
/** Value of a dimension whose raw value is not in the catalogue or not safe to keep. Public too. */
export const OTHER = '(other)';
/** Country group for a country no declared group contains / for an unknown country. */
export const OTHER_COUNTRIES = 'other';
export const UNKNOWN_COUNTRY = 'unknown';

/** Normalized dimension values: short, lowercase, no characters an email or URL needs. */
export const DIMENSION_VALUE = /^[a-z0-9][a-z0-9._-]{0,63}$/;
