import type { Jurisdiction, Policy } from '../policy/policy-schema.ts';

/** Where the request came from: ISO 3166-1 country and the subdivision code without country (`CA`) or with (`US-CA`). */
export interface Location {
  country?: string | undefined;
  region?: string | undefined;
}

/**
 * The first jurisdiction whose match fits (policy order; put subdivisions before countries).
 * The validated policy always ends with a default, so there is always an answer.
 * @example resolveJurisdiction(policy, { country: 'US', region: 'CA' }).id // 'us-optout'
 */
export function resolveJurisdiction(policy: Policy, location: Location): { jurisdiction: Jurisdiction; index: number } {
  const country = location.country?.toUpperCase();
  const rawRegion = location.region?.toUpperCase();
  const region = rawRegion && country && !rawRegion.includes('-') ? `${country}-${rawRegion}` : rawRegion;
  for (const [index, jurisdiction] of policy.jurisdictions.entries()) {
    const match = jurisdiction.match;
    if ('default' in match) return { jurisdiction, index };
    if (region && match.regions?.includes(region)) return { jurisdiction, index };
    if (country && match.countries?.includes(country)) return { jurisdiction, index };
  }
  const index = policy.jurisdictions.length - 1;
  return { jurisdiction: policy.jurisdictions[index]!, index };
}
