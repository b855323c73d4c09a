import { resolveJurisdiction, type Location, type Policy } from '@sluice/consent';

const STRICTNESS = { 'opt-in': 0, 'opt-out': 1, notice: 2 } as const;

/**
 * A location the policy resolves to its strictest jurisdiction (opt-in before opt-out before notice;
 * the first such in policy order): how an event whose place is unknown is read, so that "we do not
 * know where" never means "no consent needed". The location is a stand-in, checked to resolve back
 * to that jurisdiction; callers keep it out of receipts.
 * @example strictestLocation(defaultPolicy) // { country: 'AT' } (the EEA opt-in jurisdiction's first country)
 */
export function strictestLocation(policy: Policy): Location {
  const order = policy.jurisdictions.map((j, index) => ({ j, index })).sort((a, b) => STRICTNESS[a.j.model] - STRICTNESS[b.j.model] || a.index - b.index);
  for (const { j, index } of order) {
    for (const location of candidates(j.match as { countries?: string[]; regions?: string[]; default?: true })) {
      if (resolveJurisdiction(policy, location).index === index) return location;
    }
  }
  return {};
}

function candidates(match: { countries?: string[]; regions?: string[]; default?: true }): Location[] {
  if (match.default) return [{}];
  return [
    ...(match.countries ?? []).map((country) => ({ country })),
    ...(match.regions ?? []).map((region) => (region.includes('-') ? { country: region.split('-')[0], region } : { region })),
  ];
}
