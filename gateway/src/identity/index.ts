/** Normalization and hashing of identity fields, one profile per vendor. Pure; runs in memory only. */
export { identityValue, normalizedValue } from './identity-value.ts';
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
} from './identity-profile.ts';
export { isSha256Hex, sha256Hex } from './sha256.ts';
