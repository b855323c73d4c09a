/** Normalization and hashing of identity fields, one profile per vendor. Pure; runs in memory only. */
export { identityOutcome, identityValue, normalizedValue, type IdentityOptions, type IdentityOutcome } from './identity-value.ts';
export {
  META_PROFILE,
  GOOGLE_PROFILE,
  TIKTOK_PROFILE,
  WAREHOUSE_PROFILE,
  IDENTITY_PROFILES,
  type IdentityField,
  type IdentityProfile,
  type IdentityProfileName,
  type FieldRule,
  type NormalizeContext,
} from './identity-profile.ts';
export { isSha256Hex, sha256Hex } from './sha256.ts';
export { sha256HexSync } from './sha256-sync.ts';
export { createHashMemo, type HashMemo } from './hash-memo.ts';
export { phoneRegions, type PhoneRegionSources } from './phone-regions.ts';
export { readPhone, type PhoneReading } from './normalize-phone.ts';
export { normalizeCountry } from './normalize-country.ts';
