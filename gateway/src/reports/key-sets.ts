import { NONE, OTHER, OTHER_COUNTRIES, UNKNOWN_COUNTRY, type QueryDimension } from './dimensions.ts';
import type { ReportConfig } from './report-config.ts';

/**
 * Largest number of public cells one query may ask for (days × catalogue sizes): keeps one
 * stored release (~100 bytes a cell) well under D1's 2 MB row limit.
 */
export const MAX_PUBLIC_CELLS = 5_000;

/**
 * The public key set of a query dimension, or null when its keys can only be discovered from
 * the data (then DP partition selection decides which rows exist). Public: the days of the
 * range, the site's event names, catalogue values plus `(none)`/`(other)`, country groups.
 * @example
 * publicKeys('utmCampaign', config, days); // ['spring', 'summer', '(none)', '(other)']
 */
export function publicKeys(dimension: QueryDimension, config: ReportConfig, days: readonly string[]): string[] | null {
  if (dimension === 'day') return [...days];
  if (dimension === 'event') return [...config.events];
  if (dimension === 'countryGroup') return [...Object.keys(config.countryGroups), OTHER_COUNTRIES, UNKNOWN_COUNTRY];
  const catalogue = config.catalogue[dimension];
  return catalogue ? [...catalogue, NONE, OTHER] : null;
}

/** All combinations of the key sets, in order (the cells of a fully public query). */
export function cartesian(sets: readonly (readonly string[])[]): string[][] {
  let out: string[][] = [[]];
  for (const set of sets) out = out.flatMap((prefix) => set.map((value) => [...prefix, value]));
  return out;
}
