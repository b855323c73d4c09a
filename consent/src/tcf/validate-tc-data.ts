import type { TcData } from './tc-data.ts';

/** TCF 2.2 policy version; strings below it are invalid since 30 Sept 2023 (consent.md §1.2). */
export const MIN_TCF_POLICY_VERSION = 4;
/** Purposes for which TCF 2.2 allows no legitimate interest (purpose 1 never had it; 3–6 removed in 2.2). */
export const CONSENT_ONLY_PURPOSES: readonly number[] = [1, 3, 4, 5, 6];

/** Why a decoded TC string does or does not count. `notes` are oddities that do not invalidate it. */
export interface TcValidity {
  valid: boolean;
  reasons: string[];
  notes: string[];
}

/**
 * Checks the rules a decodable TC string must also meet to count as consent (TCF v2.2/2.3):
 * IsServiceSpecific = 1, policy version ≥ 4, Created = LastUpdated at day level, and the
 * Disclosed Vendors segment present (mandatory since TCF 2.3).
 * @example validateTcData(decoded).reasons // ['isServiceSpecific is 0']
 */
export function validateTcData(tc: TcData): TcValidity {
  const reasons: string[] = [];
  if (!tc.isServiceSpecific) reasons.push('isServiceSpecific is 0 (global scope is deprecated)');
  if (tc.policyVersion < MIN_TCF_POLICY_VERSION) reasons.push(`policy version ${tc.policyVersion} is below ${MIN_TCF_POLICY_VERSION}`);
  if (tc.created.slice(0, 10) !== tc.lastUpdated.slice(0, 10)) reasons.push('Created and LastUpdated differ (must be the same day)');
  if (tc.vendorsDisclosed === null) reasons.push('Disclosed Vendors segment missing (mandatory since TCF 2.3)');
  const notes: string[] = [];
  const liOnConsentOnly = tc.purposeLegitimateInterests.filter((p) => CONSENT_ONLY_PURPOSES.includes(p));
  if (liOnConsentOnly.length > 0) notes.push(`legitimate interest bits set for consent-only purposes ${liOnConsentOnly.join(',')} (ignored)`);
  if (tc.segments.includes('allowedVendors')) notes.push('legacy AllowedVendors segment present (ignored)');
  return { valid: reasons.length === 0, reasons, notes };
}
