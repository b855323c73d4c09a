import type { FieldRule, IdentityField, IdentityProfile, NormalizeContext } from './identity-profile.ts';
import { isSha256Hex } from './sha256.ts';
import { sha256HexSync } from './sha256-sync.ts';

/**
 * What one request's identity work may use: default phone regions, and the request's memo
 * (`createHashMemo`: each distinct text hashed, each phone read, once; without it, every time).
 */
export type IdentityOptions = NormalizeContext;

/** What became of one field: sent (`value`), not given or not taken (`absent`), or given but not a valid value (`invalid`). */
export type IdentityOutcome = { kind: 'value'; value: string } | { kind: 'absent' } | { kind: 'invalid' };

const ABSENT: IdentityOutcome = { kind: 'absent' };
const INVALID: IdentityOutcome = { kind: 'invalid' };

/**
 * The outcome for one field under a vendor profile. An input that already is a SHA-256 digest
 * passes through (lowercased) and is never hashed twice; a digest in a clear field cannot be
 * un-hashed, so it is dropped (`invalid`).
 * @example identityOutcome(META_PROFILE, 'phone', '07911 123456', { regions: ['GB'] }) // { kind: 'value', value: sha256('447911123456') }
 */
export function identityOutcome(profile: IdentityProfile, field: IdentityField, raw: string | undefined, options: IdentityOptions = {}): IdentityOutcome {
  const rule = profile[field];
  if (!rule || raw === undefined) return ABSENT;
  // Within one request (the memo's life), a raw value's outcome under one rule is computed once
  // however many events and destinations carry it. A phone's reading depends on the item's regions
  // too, so they are part of its key; callers note `invalid_phone` per item from the outcome.
  if (!options.memo) return computeOutcome(rule, raw, options);
  let byRaw = outcomes.get(options.memo)?.get(rule);
  if (!byRaw) {
    let byRule = outcomes.get(options.memo);
    if (!byRule) outcomes.set(options.memo, (byRule = new Map()));
    byRule.set(rule, (byRaw = new Map()));
  }
  // A NUL cannot occur in a region code: an unambiguous key.
  const key = field === 'phone' ? `${options.regions?.join(',') ?? ''}\u0000${raw}` : raw;
  let outcome = byRaw.get(key);
  if (outcome === undefined) byRaw.set(key, (outcome = computeOutcome(rule, raw, options)));
  return outcome;
}

/** Outcomes per request memo, rule and raw value (dropped with the request's memo). */
const outcomes = new WeakMap<object, Map<FieldRule, Map<string, IdentityOutcome>>>();

function computeOutcome(rule: FieldRule, raw: string, options: IdentityOptions): IdentityOutcome {
  if (raw.trim() === '') return ABSENT;
  const trimmed = raw.trim();
  if (isSha256Hex(trimmed)) return rule.hash ? { kind: 'value', value: trimmed.toLowerCase() } : INVALID;
  const normalized = rule.normalize(raw, options);
  if (normalized === undefined) return INVALID;
  if (!rule.hash) return { kind: 'value', value: normalized };
  return { kind: 'value', value: options.memo ? options.memo.sha256Hex(normalized) : sha256HexSync(normalized) };
}

/**
 * The value to send for one field under a vendor profile: SHA-256 of the normalized text for
 * hashed fields, the normalized text for fields the vendor takes in clear, undefined when the
 * vendor does not take the field or the input is not a valid value (see `identityOutcome`).
 * @example await identityValue(META_PROFILE, 'phone', '+1 (650) 555-0100') // sha256('16505550100')
 */
export async function identityValue(profile: IdentityProfile, field: IdentityField, raw: string | undefined, options?: IdentityOptions): Promise<string | undefined> {
  const outcome = identityOutcome(profile, field, raw, options);
  return outcome.kind === 'value' ? outcome.value : undefined;
}

/** The normalized text alone (for conformance tests; never for sending hashed fields). */
export function normalizedValue(profile: IdentityProfile, field: IdentityField, raw: string, context?: NormalizeContext): string | undefined {
  return profile[field]?.normalize(raw, context);
}
