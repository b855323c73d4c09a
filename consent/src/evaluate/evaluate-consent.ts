import type { DecodedSignals } from '../signals/decode-signals.ts';
import { DEFAULT_GOOGLE_FLAG_PURPOSE, type DestinationPolicy, type Jurisdiction, type Policy } from '../policy/policy-schema.ts';
import type { Gvl } from '../tcf/gvl.ts';
import { vendorAllowed } from '../tcf/vendor-allowed.ts';
import type { TcData } from '../tcf/tc-data.ts';
import type { ConsentReceipt, Decision, PurposeOutcome, SignalSummary } from './consent-receipt.ts';
import { resolveJurisdiction, type Location } from './resolve-jurisdiction.ts';
import { resolvePurposes } from './resolve-purposes.ts';
import { resolveFieldDecisions, type FieldDecision, type FieldTransform } from './field-transform.ts';
import { googleConsentFlags } from './google-consent-flags.ts';

export interface EvaluationInput {
  policy: Policy;
  /** `policyHash(policy)`, computed once per policy version. */
  policyVersion: string;
  signals: DecodedSignals;
  location: Location;
  /** The site's destination keys; a key the policy does not name is denied. */
  destinations: string[];
  /** Needed for destinations with `tcfVendorId` where TCF applies; without it they are denied. */
  gvl?: Gvl | undefined;
}

/** The verdict for one destination. `transforms` is empty for denied destinations. */
export interface DestinationVerdict {
  decision: Decision;
  mode: 'full' | 'limited';
  adUserData: 'granted' | 'denied';
  adPersonalization: 'granted' | 'denied';
  transforms: FieldTransform[];
  /** Every field rule as resolved (keeps included) and why: the simulator shows these. Empty when denied. */
  fields: FieldDecision[];
  receipt: ConsentReceipt;
}

export interface Evaluation {
  jurisdiction: Jurisdiction;
  purposes: Record<string, PurposeOutcome>;
  destinations: Record<string, DestinationVerdict>;
}

/**
 * The pure consent evaluator: jurisdiction → signals → purposes → destination → fields.
 * Same input, same output; no clock, no I/O.
 * @example
 * const e = evaluateConsent({ policy, policyVersion, signals: decodeSignals(raw, gpc), location: { country: 'DE' }, destinations: ['meta'] });
 * e.destinations.meta.decision // 'deny'
 */
export function evaluateConsent(input: EvaluationInput): Evaluation {
  const { jurisdiction, index } = resolveJurisdiction(input.policy, input.location);
  const purposes = resolvePurposes(input.policy, jurisdiction, index, input.signals);
  const summary = summarize(input.signals);
  const destinations: Record<string, DestinationVerdict> = {};
  for (const key of input.destinations) {
    const policy = input.policy.destinations[key];
    const { decision, rule } = policy
      ? decide(key, policy, jurisdiction, purposes, input)
      : { decision: 'deny' as const, rule: `destinations.${key}: not named in the policy` };
    const { by: googleConsentBy, ...gcm } = googleConsentFlags(decision, input.policy, purposes, input.signals, jurisdiction, input.gvl);
    const receipt: ConsentReceipt = {
      policyVersion: input.policyVersion,
      jurisdiction: { id: jurisdiction.id, model: jurisdiction.model, ...definedLocation(input.location) },
      destination: key,
      decision,
      rule,
      purposes: relevantPurposes(policy, input.policy, purposes),
      ...gcm,
      googleConsentBy,
      signals: summary,
    };
    // The GVL judged this verdict: the destination's vendor check, or Google's flags under a TC string.
    if (input.gvl && (policy?.tcfVendorId !== undefined || (jurisdiction.signals.tcf && input.signals.tcf?.ok))) receipt.gvlVersion = input.gvl.vendorListVersion;
    const fields = decision === 'deny' ? [] : resolveFieldDecisions(input.policy, key, purposes, input.signals);
    destinations[key] = {
      decision,
      mode: decision === 'limited' ? 'limited' : 'full',
      ...gcm,
      transforms: fields.filter((f) => f.action !== 'keep').map(({ reason: _reason, ...transform }) => transform),
      fields,
      receipt,
    };
  }
  return { jurisdiction, purposes, destinations };
}

function decide(
  key: string,
  policy: DestinationPolicy,
  jurisdiction: Jurisdiction,
  purposes: Record<string, PurposeOutcome>,
  input: EvaluationInput,
): { decision: Decision; rule: string } {
  const at = `destinations.${key}`;
  const failed = requirementFailure(at, policy, purposes) ?? vendorFailure(at, policy, jurisdiction, purposes, input);
  if (!failed) return { decision: 'allow', rule: `${at}.requires met` };
  if (policy.whenDenied?.[jurisdiction.id] === 'limited') {
    return { decision: 'limited', rule: `${failed} → ${at}.whenDenied.${jurisdiction.id}: limited` };
  }
  return { decision: 'deny', rule: failed };
}

function requirementFailure(at: string, policy: DestinationPolicy, purposes: Record<string, PurposeOutcome>): string | undefined {
  for (const p of policy.requires.all ?? []) {
    const outcome = purposes[p];
    if (outcome?.state !== 'granted') return `${at}.requires.all: ${p} denied by ${outcome?.by ?? 'unknown purpose'}`;
  }
  const any = policy.requires.any;
  if (any && !any.some((p) => purposes[p]?.state === 'granted')) {
    return `${at}.requires.any: none of ${any.join(', ')} granted (${any.map((p) => `${p}: ${purposes[p]?.by}`).join('; ')})`;
  }
  return undefined;
}

/**
 * The TCF vendor check (consent.md §1.4) for every vendor-mode purpose the destination relies on.
 * Where the jurisdiction reads TCF, a destination that needs the check is denied when there is no
 * TC string (consent.md §1.4: "no TC string where TCF applies ⇒ no processing that needs it") or
 * the string is undecodable or invalid: a grant from Consent Mode or CMP categories never stands
 * in for a vendor's TCF signal.
 */
function vendorFailure(
  at: string,
  policy: DestinationPolicy,
  jurisdiction: Jurisdiction,
  purposes: Record<string, PurposeOutcome>,
  input: EvaluationInput,
): string | undefined {
  const vendorId = policy.tcfVendorId;
  if (vendorId === undefined || !jurisdiction.signals.tcf) return undefined;
  const used = [...(policy.requires.all ?? []), ...(policy.requires.any ?? []).filter((p) => purposes[p]?.state === 'granted')];
  const checked = used.flatMap((id) => {
    const tcf = input.policy.purposes[id]?.tcf;
    return tcf?.mode === 'vendor' ? [tcf.purposes] : [];
  });
  if (checked.length === 0) return undefined;
  const tcf = input.signals.tcf;
  const vendor = `${at}.tcfVendorId ${vendorId}`;
  if (!tcf) return `${vendor}: no TC string where TCF applies (jurisdiction ${jurisdiction.id} reads TCF): the vendor check cannot pass`;
  if (!tcf.ok) return `${vendor}: TC string undecodable (${tcf.reason}): the vendor check cannot pass`;
  if (!tcf.validity.valid) return `${vendor}: TC string invalid (${tcf.validity.reasons.join('; ')}): the vendor check cannot pass`;
  if (!input.gvl) return `${at}.tcfVendorId: no Global Vendor List configured to check vendor ${vendorId}`;
  for (const tcfPurposes of checked) {
    for (const p of tcfPurposes) {
      const check = vendorAllowed(vendorId, p, tcf.value as TcData, input.gvl);
      if (!check.allowed) return `${vendor}: ${check.reason}`;
    }
  }
  return undefined;
}

function relevantPurposes(policy: DestinationPolicy | undefined, document: Policy, purposes: Record<string, PurposeOutcome>): Record<string, PurposeOutcome> {
  if (!policy) return {};
  const flags = document.googleConsentFlags;
  const ids = [...(policy.requires.all ?? []), ...(policy.requires.any ?? []), flags?.adUserData ?? DEFAULT_GOOGLE_FLAG_PURPOSE, flags?.adPersonalization ?? DEFAULT_GOOGLE_FLAG_PURPOSE];
  return Object.fromEntries(ids.filter((id) => purposes[id]).map((id) => [id, purposes[id]!]));
}

function definedLocation(location: Location): { country?: string; region?: string } {
  const out: { country?: string; region?: string } = {};
  if (location.country) out.country = location.country;
  if (location.region) out.region = location.region;
  return out;
}

function summarize(signals: DecodedSignals): SignalSummary {
  const summary: SignalSummary = { gpc: { on: signals.gpc.on, sources: [...signals.gpc.sources] }, present: signals.present };
  const tcf = signals.tcf;
  if (tcf) {
    summary.tcf = tcf.ok
      ? { source: tcf.source, decoded: true, valid: tcf.validity.valid, reasons: tcf.validity.reasons, cmpId: tcf.value.cmpId, vendorListVersion: tcf.value.vendorListVersion, policyVersion: tcf.value.policyVersion }
      : { source: tcf.source, decoded: false, valid: false, reasons: [tcf.reason] };
  }
  if (signals.gpp) {
    summary.gpp = signals.gpp.ok
      ? { decoded: true, applicable: signals.gppApplicable.map((s) => ({ name: s.name, gpcSubsection: s.gpcSubsection })) }
      : { decoded: false, reason: signals.gpp.reason, applicable: [] };
  }
  if (signals.consentMode) summary.consentMode = { ...signals.consentMode };
  return summary;
}
