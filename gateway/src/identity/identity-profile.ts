import type { HashMemo } from './hash-memo.ts';
import {
  normalizeBirthdate,
  normalizeCityCompact,
  normalizeCountry,
  normalizeEmail,
  normalizeExternalId,
  normalizeGender,
  normalizeNameCompact,
  normalizeNameSpaced,
  normalizePhone,
  normalizePostalCompact,
  normalizePostalGoogle,
  normalizeSpacedLetters,
  normalizeStateCompact,
} from './field-rules.ts';

/** The identity fields a site may send (`UserFields` in the protocol). */
export type IdentityField =
  | 'email'
  | 'phone'
  | 'firstName'
  | 'lastName'
  | 'city'
  | 'region'
  | 'postalCode'
  | 'country'
  | 'birthdate'
  | 'gender'
  | 'externalId';

/** What a field's normalization may use besides the value itself. */
export interface NormalizeContext {
  /** Default regions for phone numbers written without country code, best first (see `phoneRegions`). */
  regions?: readonly string[];
  /** The request's memo: a phone number is read once for all profiles (see `createHashMemo`). */
  memo?: HashMemo;
}

/** How one vendor takes one field: normalized, then SHA-256-hashed or (where the vendor says so) in clear. */
export interface FieldRule {
  normalize(raw: string, context?: NormalizeContext): string | undefined;
  hash: boolean;
}

/** A vendor's rules; a field the vendor does not take is absent and never leaves the gateway. */
export type IdentityProfile = Readonly<Partial<Record<IdentityField, FieldRule>>>;

const hashed = (normalize: FieldRule['normalize']): FieldRule => ({ normalize, hash: true });
const clear = (normalize: FieldRule['normalize']): FieldRule => ({ normalize, hash: false });

/** Meta "customer information parameters": everything hashed, phone digits without `+`. */
export const META_PROFILE: IdentityProfile = {
  email: hashed((v) => normalizeEmail(v)),
  phone: hashed((v, c) => normalizePhone(v, false, c?.regions, c?.memo?.readPhone)),
  firstName: hashed(normalizeNameCompact),
  lastName: hashed(normalizeNameCompact),
  city: hashed(normalizeCityCompact),
  region: hashed(normalizeStateCompact),
  postalCode: hashed(normalizePostalCompact),
  country: hashed(normalizeCountry),
  birthdate: hashed((v) => normalizeBirthdate(v)),
  gender: hashed(normalizeGender),
  externalId: hashed(normalizeExternalId),
};

/**
 * Google (GA4 user_provided_data, Google Ads user identifiers, Data Manager): gmail dots and
 * `+tag` removed, E.164 phone with `+`; names hashed; city, region, postal code and country in clear.
 */
export const GOOGLE_PROFILE: IdentityProfile = {
  email: hashed((v) => normalizeEmail(v, true)),
  phone: hashed((v, c) => normalizePhone(v, true, c?.regions, c?.memo?.readPhone)),
  firstName: hashed((v) => normalizeNameSpaced(v, 'given')),
  lastName: hashed((v) => normalizeNameSpaced(v, 'family')),
  city: clear(normalizeSpacedLetters),
  region: clear(normalizeSpacedLetters),
  postalCode: clear(normalizePostalGoogle),
  country: clear((v) => normalizeCountry(v)?.toUpperCase()),
};

/** TikTok Events API: email, E.164 phone with `+` and external id, all hashed. Nothing else is sent. */
export const TIKTOK_PROFILE: IdentityProfile = {
  email: hashed((v) => normalizeEmail(v)),
  phone: hashed((v, c) => normalizePhone(v, true, c?.regions, c?.memo?.readPhone)),
  externalId: hashed(normalizeExternalId),
};

/**
 * The warehouse landing (R2 Parquet): join keys only, normalized and hashed exactly as Meta takes
 * them, so a warehouse hash joins to what the ad platforms received. Names, addresses, birthdates
 * and gender never land.
 */
export const WAREHOUSE_PROFILE: IdentityProfile = {
  email: hashed((v) => normalizeEmail(v)),
  phone: hashed((v) => normalizePhone(v, false)),
  externalId: hashed(normalizeExternalId),
};

/** Profiles by name, as the conformance fixtures refer to them. */
export const IDENTITY_PROFILES = { meta: META_PROFILE, google: GOOGLE_PROFILE, tiktok: TIKTOK_PROFILE } as const;
export type IdentityProfileName = keyof typeof IDENTITY_PROFILES;
