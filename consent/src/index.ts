/**
 * @sluice/consent — consent signal decoders (TCF v2.2/2.3, GPP, Consent Mode v2, GPC), the
 * policy schema and the pure evaluator shared by the gateway (authoritative) and the SDK.
 * Browser CMP readers and the consent gate live under `./browser` (a separate entry).
 * @example
 * const policy = parsePolicy(json); // { ok, policy } | { ok: false, issues }
 * const evaluation = evaluateConsent({ policy, policyVersion, signals: decodeSignals(raw, secGpc), location, destinations });
 */
export type { Decoded } from './result.ts';
export { decodeTcString, MAX_TC_STRING_LENGTH } from './tcf/decode-tc-string.ts';
export { validateTcData, MIN_TCF_POLICY_VERSION, CONSENT_ONLY_PURPOSES, type TcValidity } from './tcf/validate-tc-data.ts';
export { RestrictionType, type TcData, type PublisherRestriction, type PublisherTc, type TcSegment } from './tcf/tc-data.ts';
export { vendorAllowed, type VendorCheck } from './tcf/vendor-allowed.ts';
export { Gvl, GvlVendor } from './tcf/gvl.ts';
export { decodeGppString, MAX_GPP_STRING_LENGTH } from './gpp/decode-gpp-string.ts';
export type { GppData, GppSection } from './gpp/gpp-data.ts';
export { gppFieldVote, gppSaysGpc } from './gpp/us-section-vote.ts';
export { readSecGpc } from './signals/read-gpc.ts';
export { decodeSignals, type DecodedSignals, type TcfSignal } from './signals/decode-signals.ts';
export { PolicyShape, Purpose, Jurisdiction, DestinationPolicy, FieldRule, FieldCondition, GoogleConsentFlags, DEFAULT_GOOGLE_FLAG_PURPOSE, GcmType, FIELD_PATH, type Policy } from './policy/policy-schema.ts';
export { policyWarnings } from './policy/policy-warnings.ts';
export { parsePolicy, formatPath, type PolicyResult } from './policy/parse-policy.ts';
export type { PolicyIssue } from './policy/cross-reference.ts';
export { policyHash, canonicalJson } from './policy/policy-hash.ts';
export { resolveJurisdiction, type Location } from './evaluate/resolve-jurisdiction.ts';
export { evaluateConsent, type Evaluation, type EvaluationInput, type DestinationVerdict } from './evaluate/evaluate-consent.ts';
export { googleConsentFlags } from './evaluate/google-consent-flags.ts';
export type { ConsentReceipt, Decision, PurposeOutcome, SignalSummary } from './evaluate/consent-receipt.ts';
export { resolveFieldDecisions, type FieldTransform, type FieldDecision } from './evaluate/field-transform.ts';
export { applyFieldTransforms, generalizeIp, stripQuery, DEFAULT_KEPT_QUERY_PARAMS, type Minimized, type TransformMemo } from './evaluate/apply-field-transforms.ts';
export { policyView, durationMs, type PolicyView } from './policy/policy-view.ts';
