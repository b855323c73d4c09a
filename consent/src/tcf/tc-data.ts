/** Publisher restriction types (TCF v2 "Consent string and vendor list formats", PubRestrictionEntry). */
export const RestrictionType = { NotAllowed: 0, RequireConsent: 1, RequireLegitimateInterest: 2 } as const;
export type RestrictionType = (typeof RestrictionType)[keyof typeof RestrictionType];

/** One publisher restriction: for `purposeId`, the vendors listed are restricted to `restrictionType`. */
export interface PublisherRestriction {
  purposeId: number;
  restrictionType: RestrictionType;
  vendorIds: number[];
}

/** The Publisher TC segment: the publisher's own purposes and custom purposes. */
export interface PublisherTc {
  purposeConsents: number[];
  purposeLegitimateInterests: number[];
  customPurposeConsents: number[];
  customPurposeLegitimateInterests: number[];
}

/** Segment types a TC string may carry (3-bit SegmentType; core has none). */
export type TcSegment = 'core' | 'disclosedVendors' | 'allowedVendors' | 'publisherTC';

/**
 * A decoded TC string as plain data (ids as sorted arrays). Decoding says nothing about whether
 * it counts as valid consent: see `validateTcData`.
 *
 * Every field the IAB's `TCModel` decodes from a v2 string (its `FieldSequence`, all segments) is
 * here under the IAB's own name, with the IAB's value for an absent segment (empty, 0); the
 * test in decode-tc-string.test.ts checks them one by one against the official decoder.
 * `vendorsDisclosed`, `vendorsAllowed` and `publisherTC` are null when their segment is absent.
 */
export interface TcData {
  version: number;
  created: string;
  lastUpdated: string;
  cmpId: number;
  cmpVersion: number;
  consentScreen: number;
  consentLanguage: string;
  vendorListVersion: number;
  policyVersion: number;
  isServiceSpecific: boolean;
  useNonStandardTexts: boolean;
  specialFeatureOptins: number[];
  purposeConsents: number[];
  purposeLegitimateInterests: number[];
  purposeOneTreatment: boolean;
  publisherCountryCode: string;
  vendorConsents: number[];
  vendorLegitimateInterests: number[];
  publisherRestrictions: PublisherRestriction[];
  /** Null when the Disclosed Vendors segment is absent (mandatory since TCF 2.3). */
  vendorsDisclosed: number[] | null;
  vendorsAllowed: number[] | null;
  /** Publisher TC segment, IAB names (empty when the segment is absent, as in `TCModel`). */
  publisherConsents: number[];
  publisherLegitimateInterests: number[];
  /** NumCustomPurposes: how many custom purposes the publisher defines (0 without a Publisher TC segment). */
  numCustomPurposes: number;
  publisherCustomConsents: number[];
  publisherCustomLegitimateInterests: number[];
  /** The Publisher TC segment in Sluice's shape, null when absent (what the evaluator reads). */
  publisherTC: PublisherTc | null;
  segments: TcSegment[];
}
