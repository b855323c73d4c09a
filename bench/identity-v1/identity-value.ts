import type { IdentityField, IdentityProfile } from './identity-profile.ts';
import { isSha256Hex, sha256Hex } from './sha256.ts';

/**
 * The value to send for one field under a vendor profile: SHA-256 of the normalized text for
 * hashed fields, the normalized text for fields the vendor takes in clear, undefined when the
 * vendor does not take the field or the input is not a valid value. An input that already is a
 * SHA-256 digest passes through (lowercased) and is never hashed twice; a digest in a clear
 * field cannot be un-hashed, so it is dropped.
 * @example await identityValue(META_PROFILE, 'phone', '+1 (650) 555-0100') // sha256('16505550100')
 */
export async function identityValue(profile: IdentityProfile, field: IdentityField, raw: string | undefined): Promise<string | undefined> {
  const rule = profile[field];
  if (!rule || raw === undefined) return undefined;
  const trimmed = raw.trim();
  if (isSha256Hex(trimmed)) return rule.hash ? trimmed.toLowerCase() : undefined;
  const normalized = rule.normalize(raw);
  if (normalized === undefined) return undefined;
  return rule.hash ? sha256Hex(normalized) : normalized;
}

/** The normalized text alone (for conformance tests; never for sending hashed fields). */
export function normalizedValue(profile: IdentityProfile, field: IdentityField, raw: string): string | undefined {
  return profile[field]?.normalize(raw);
}
