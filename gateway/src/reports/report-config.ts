import { z } from 'zod';
import { parseRational } from '@sluice/privacy';
import { DIMENSIONS, DIMENSION_VALUE } from './dimensions.ts';

const RationalText = z.string().refine((s) => {
  const r = parseRational(s);
  return r.ok && r.value.num > 0n;
}, 'a positive decimal or fraction, e.g. "0.5" or "1/3"');

const Dimension = z.enum(DIMENSIONS);
const CatalogueValue = z.string().regex(DIMENSION_VALUE, 'catalogue values are normalized: lowercase letters, digits, . _ -');

/** ADH applies about 20 users per row with noise, 10 for click/conversion-only queries (privacy.md §5). */
export const DEFAULT_K_FLOOR = 10;

/**
 * What a site reports, stored in KV under `reports:<site>` (PUT `/v1/reports/:site/config`,
 * admin only). Nothing is counted for a site without one.
 */
export const ReportConfig = z.strictObject({
  version: z.literal(1),
  /**
   * The consent-policy purpose that must be granted for an event to be counted. The default
   * `measurement` is a purpose the site's policy must define (jurisdiction by jurisdiction,
   * like any other); a site without a live policy counts nothing.
   */
  purpose: z.string().regex(/^[a-z][a-z0-9_-]{0,31}$/).default('measurement'),
  /** Event names counted (track events; `page` for page views). The event key set is public. */
  events: z.array(z.string().min(1).max(128)).min(1).max(50),
  /** Dimensions recorded per event besides `event`; undeclared ones are never stored. */
  dimensions: z.array(Dimension).max(DIMENSIONS.length).default([]),
  /** Public key sets: declared campaigns, creatives, experiments, arms, model versions. */
  catalogue: z.partialRecord(Dimension, z.array(CatalogueValue).min(1).max(500)).default({}),
  /** Country groups by ISO 3166-1 alpha-2 codes (`{ "eu": ["DE", "FR"] }`); the rest is `other`. */
  countryGroups: z.record(z.string().regex(DIMENSION_VALUE), z.array(z.string().regex(/^[A-Z]{2}$/)).min(1)).default({}),
  /** Where sums come from: `properties[property]` in major units, kept as integer minor units. */
  sum: z.strictObject({
    property: z.string().regex(/^[A-Za-z0-9_]{1,64}$/).default('value'),
    decimals: z.number().int().min(0).max(6).default(2),
  }).default({ property: 'value', decimals: 2 }),
  /** Contribution bounds per privacy unit (site, visitor, day). */
  bounds: z.strictObject({
    /** L0: partitions one unit may touch per day. */
    maxPartitionsPerUnit: z.number().int().min(1).max(64).default(4),
    /** C: a unit's summed value per partition is clamped to [0, C] minor units. */
    maxValuePerPartition: z.number().int().min(1).max(1_000_000_000).default(100_000),
  }).default({ maxPartitionsPerUnit: 4, maxValuePerPartition: 100_000 }),
  budget: z.strictObject({
    /** Hard cap of ε per data day (the privacy unit's day) over all queries. */
    epsilonPerDay: RationalText.default('4'),
    /** Largest ε one query may spend. */
    maxEpsilonPerQuery: RationalText.default('1'),
    /** δ of DP partition selection, per query with a dimension not in the catalogue. */
    selectionDelta: RationalText.default('1e-6'),
    /** δ of a query with Gaussian noise (split between its metrics). */
    gaussianDelta: RationalText.default('1e-7'),
    /** Hard cap of δ per data day (e.g. ten discovered-key queries a day at the default δ). */
    deltaPerDay: RationalText.default('1e-5'),
  }).default({ epsilonPerDay: '4', maxEpsilonPerQuery: '1', selectionDelta: '1e-6', gaussianDelta: '1e-7', deltaPerDay: '1e-5' }),
  /** k floor on the noisy count, on top of DP. */
  kFloor: z.number().int().min(0).max(10_000).default(DEFAULT_K_FLOOR),
});
export type ReportConfig = z.infer<typeof ReportConfig>;

export function reportConfigKey(siteId: string): string {
  return `reports:${siteId}`;
}

/** Same bound as site configs (load-site-config.ts): ingest reads this on every batch. */
export const REPORT_CONFIG_CACHE_MS = 30_000;

const cache = new Map<string, { value: ReportConfig | null; expires: number }>();

/** The site's report config, or null (nothing is counted, nothing can be queried). Cached in the isolate. */
export async function loadReportConfig(kv: KVNamespace, siteId: string): Promise<ReportConfig | null> {
  const hit = cache.get(siteId);
  if (hit && hit.expires > Date.now()) return hit.value;
  const parsed = ReportConfig.safeParse(await kv.get(reportConfigKey(siteId), 'json'));
  const value = parsed.success ? parsed.data : null;
  cache.set(siteId, { value, expires: Date.now() + REPORT_CONFIG_CACHE_MS });
  return value;
}

/** The config route and tests call this after writing KV. */
export function clearReportConfigCache(): void {
  cache.clear();
}
