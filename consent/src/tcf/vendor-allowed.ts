import type { Gvl } from './gvl.ts';
import { RestrictionType, type TcData } from './tc-data.ts';
import { CONSENT_ONLY_PURPOSES } from './validate-tc-data.ts';

/** The outcome of one vendor check, with the reason that decided it. */
export interface VendorCheck {
  allowed: boolean;
  basis: 'consent' | 'legitimate-interest' | 'none';
  reason: string;
}

/**
 * May `vendorId` process data for TCF `purposeId` under this TC string? The algorithm of the
 * TCF Implementation Guidelines (consent.md §1.4): publisher restrictions first, then the
 * purpose AND vendor signal for the legal basis the GVL declares; legitimate interest never
 * counts for purposes 1 and 3–6 (TCF 2.2).
 * @example vendorAllowed(755, 1, tc, gvl).allowed
 */
export function vendorAllowed(vendorId: number, purposeId: number, tc: TcData, gvl: Gvl): VendorCheck {
  const vendor = gvl.vendors[String(vendorId)];
  if (!vendor) return deny(`vendor ${vendorId} is not in GVL v${gvl.vendorListVersion}`);
  if (vendor.deletedDate) return deny(`vendor ${vendorId} was deleted from the GVL`);
  const restrictions = tc.publisherRestrictions
    .filter((r) => r.purposeId === purposeId && r.vendorIds.includes(vendorId))
    .map((r) => r.restrictionType);
  if (restrictions.includes(RestrictionType.NotAllowed)) {
    return deny(`publisher restriction: purpose ${purposeId} not allowed for vendor ${vendorId}`);
  }
  const flexible = vendor.flexiblePurposes.includes(purposeId);
  let basis: VendorCheck['basis'] = vendor.purposes.includes(purposeId)
    ? 'consent'
    : vendor.legIntPurposes.includes(purposeId)
      ? 'legitimate-interest'
      : 'none';
  if (restrictions.includes(RestrictionType.RequireConsent)) {
    basis = vendor.purposes.includes(purposeId) || flexible ? 'consent' : 'none';
  } else if (restrictions.includes(RestrictionType.RequireLegitimateInterest)) {
    basis = vendor.legIntPurposes.includes(purposeId) || flexible ? 'legitimate-interest' : 'none';
  }
  if (basis === 'none') return deny(`vendor ${vendorId} has no legal basis for purpose ${purposeId}`);
  if (basis === 'legitimate-interest') {
    if (CONSENT_ONLY_PURPOSES.includes(purposeId)) return deny(`legitimate interest never counts for purpose ${purposeId}`);
    const ok = tc.purposeLegitimateInterests.includes(purposeId) && tc.vendorLegitimateInterests.includes(vendorId);
    return { allowed: ok, basis, reason: ok ? `purpose ${purposeId} and vendor ${vendorId} LI` : `no LI signal for purpose ${purposeId} / vendor ${vendorId}` };
  }
  const purposeOk = tc.purposeConsents.includes(purposeId);
  const vendorOk = tc.vendorConsents.includes(vendorId);
  const reason = purposeOk && vendorOk
    ? `purpose ${purposeId} and vendor ${vendorId} consent`
    : !purposeOk
      ? `no consent for purpose ${purposeId}`
      : `no consent for vendor ${vendorId}`;
  return { allowed: purposeOk && vendorOk, basis, reason };
}

function deny(reason: string): VendorCheck {
  return { allowed: false, basis: 'none', reason };
}
