import { describe, expect, it } from 'vitest';
import { vendorAllowed } from './vendor-allowed.ts';
import { Gvl } from './gvl.ts';
import type { TcData } from './tc-data.ts';

const gvl = Gvl.parse({
  vendorListVersion: 9,
  vendors: {
    '10': { id: 10, purposes: [1, 3], legIntPurposes: [2, 7], flexiblePurposes: [2, 7] },
    '11': { id: 11, purposes: [7], legIntPurposes: [], flexiblePurposes: [] },
    // A (pre-2.2 style) declaration of LI for purpose 4: must still never count.
    '12': { id: 12, purposes: [], legIntPurposes: [4], flexiblePurposes: [] },
    '13': { id: 13, purposes: [1], deletedDate: '2025-01-01T00:00:00Z' },
  },
});

function tc(overrides: Partial<TcData> = {}): TcData {
  return {
    version: 2, created: '2026-11-02T00:00:00.000Z', lastUpdated: '2026-11-02T00:00:00.000Z', cmpId: 10, cmpVersion: 1, consentScreen: 1,
    consentLanguage: 'EN', vendorListVersion: 9, policyVersion: 5, isServiceSpecific: true, useNonStandardTexts: false,
    specialFeatureOptins: [], purposeConsents: [1, 2, 3, 4, 7], purposeLegitimateInterests: [2, 4, 7], purposeOneTreatment: false,
    publisherCountryCode: 'DE', vendorConsents: [10, 11, 12, 13], vendorLegitimateInterests: [10, 12], publisherRestrictions: [],
    vendorsDisclosed: [10, 11, 12, 13], vendorsAllowed: null, publisherConsents: [], publisherLegitimateInterests: [], numCustomPurposes: 0,
    publisherCustomConsents: [], publisherCustomLegitimateInterests: [], publisherTC: null, segments: ['core', 'disclosedVendors'],
    ...overrides,
  };
}

describe('vendorAllowed (TCF implementation guidelines, consent.md §1.4)', () => {
  it('needs purpose consent AND vendor consent for a consent-basis purpose', () => {
    expect(vendorAllowed(10, 1, tc(), gvl).allowed).toBe(true);
    expect(vendorAllowed(10, 1, tc({ vendorConsents: [] }), gvl)).toMatchObject({ allowed: false, reason: 'no consent for vendor 10' });
    expect(vendorAllowed(10, 1, tc({ purposeConsents: [] }), gvl)).toMatchObject({ allowed: false, reason: 'no consent for purpose 1' });
  });

  it('uses the LI signals for an LI-basis purpose, and consent does not substitute', () => {
    expect(vendorAllowed(10, 2, tc(), gvl)).toMatchObject({ allowed: true, basis: 'legitimate-interest' });
    expect(vendorAllowed(10, 2, tc({ vendorLegitimateInterests: [] }), gvl).allowed).toBe(false);
  });

  it('never counts legitimate interest for purposes 1 and 3–6, whatever the GVL says', () => {
    expect(vendorAllowed(12, 4, tc(), gvl)).toMatchObject({ allowed: false, reason: 'legitimate interest never counts for purpose 4' });
  });

  it('applies publisher restrictions: not allowed, require consent, require LI (flexible purposes only)', () => {
    const restrict = (type: 0 | 1 | 2, purposeId: number, vendorId: number) => tc({ publisherRestrictions: [{ purposeId, restrictionType: type, vendorIds: [vendorId] }] });
    expect(vendorAllowed(10, 1, restrict(0, 1, 10), gvl).reason).toContain('not allowed');
    expect(vendorAllowed(10, 7, restrict(1, 7, 10), gvl)).toMatchObject({ allowed: true, basis: 'consent' });
    expect(vendorAllowed(10, 7, tc({ purposeConsents: [1], publisherRestrictions: [{ purposeId: 7, restrictionType: 1, vendorIds: [10] }] }), gvl).allowed).toBe(false);
    // Vendor 11 declares 7 as consent only, not flexible: require-LI leaves it without a basis.
    expect(vendorAllowed(11, 7, restrict(2, 7, 11), gvl).reason).toBe('vendor 11 has no legal basis for purpose 7');
    // A restriction on another vendor changes nothing.
    expect(vendorAllowed(10, 1, restrict(0, 1, 99), gvl).allowed).toBe(true);
  });

  it('denies vendors missing from or deleted in the GVL, and purposes the vendor did not declare', () => {
    expect(vendorAllowed(99, 1, tc(), gvl).reason).toBe('vendor 99 is not in GVL v9');
    expect(vendorAllowed(13, 1, tc(), gvl).reason).toContain('deleted');
    expect(vendorAllowed(11, 1, tc(), gvl).reason).toBe('vendor 11 has no legal basis for purpose 1');
  });
});
