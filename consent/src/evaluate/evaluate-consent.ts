import type { DecodedSignals } from '../signals/decode-signals.ts';
import type { DestinationPolicy, Jurisdiction, Policy } from '../policy/policy-schema.ts';
import type { Gvl } from '../tcf/gvl.ts';
import { vendorAllowed } from '../tcf/vendor-allowed.ts';
import type { TcData } from '../tcf/tc-data.ts';
import type { ConsentReceipt, Decision, PurposeOutcome, SignalSummary } from './consent-receipt.ts';
import { resolveJurisdiction, type Location } from './resolve-jurisdiction.ts';
import { resolvePurposes } from './resolve-purposes.ts';
import { resolveFieldTransforms, type FieldTransform } from './field-transform.ts';

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
    const gcm = forwardedGcm(decision, input.signals, jurisdiction);
    const receipt: ConsentReceipt = {
      policyVersion: input.policyVersion,
      jurisdiction: { id: jurisdiction.id, model: jurisdiction.model, ...definedLocation(input.location) },
      destination: key,
      decision,
      rule,
      purposes: relevantPurposes(policy, purposes),
      ...gcm,
      signals: summary,
    };
    if (input.gvl && policy?.tcfVendorId !== undefined) receipt.gvlVersion = input.gvl.vendorListVersion;
    destinations[key] = {
      decision,
      mode: decision === 'limited' ? 'limited' : 'full',
      ...gcm,
      transforms: decision === 'deny' ? [] : resolveFieldTransforms(input.policy, key, purposes, input.signals),
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

/** The TCF vendor check (consent.md §1.4) for every vendor-mode purpose the destination relies on. */
function vendorFailure(
  at: string,
  policy: DestinationPolicy,
  jurisdiction: Jurisdiction,
  purposes: Record<string, PurposeOutcome>,
  input: EvaluationInput,
): string | undefined {
  const vendorId = policy.tcfVendorId;
  if (vendorId === undefined || !jurisdiction.signals.tcf) return undefined;
  const tcf = input.signals.tcf;
  if (!tcf || !tcf.ok || !tcf.validity.valid) return undefined; // already decided at purpose level
  const used = [...(policy.requires.all ?? []), ...(policy.requires.any ?? []).filter((p) => purposes[p]?.state === 'granted')];
  for (const id of used) {
    const purpose = input.policy.purposes[id];
    if (purpose?.tcf?.mode !== 'vendor') continue;
    if (!input.gvl) return `${at}.tcfVendorId: no Global Vendor List configured to check vendor ${vendorId}`;
    for (const p of purpose.tcf.purposes) {
      const check = vendorAllowed(vendorId, p, tcf.value as TcData, input.gvl);
      if (!check.allowed) return `${at}.tcfVendorId ${vendorId}: ${check.reason}`;
    }
  }
  return undefined;
}

/**
 * Consent Mode values forwarded explicitly to Google: the page's GCM state where set, Google's
 * own TCF mapping (P1 or P7 denied ⇒ ad_user_data denied; P3 or P4 denied ⇒ ad_personalization
 * denied; consent.md §1.4), and anything but a full allow denies both.
 */
function forwardedGcm(decision: Decision, signals: DecodedSignals, jurisdiction: Jurisdiction): { adUserData: 'granted' | 'denied'; adPersonalization: 'granted' | 'denied' } {
  if (decision !== 'allow') return { adUserData: 'denied', adPersonalization: 'denied' };
  const gcm = signals.consentMode;
  const tc = jurisdiction.signals.tcf && signals.tcf?.ok ? signals.tcf.value : undefined;
  const has = (p: number) => tc?.purposeConsents.includes(p) ?? true;
  const userData = gcm?.ad_user_data !== 'denied' && has(1) && (has(7) || (tc?.purposeLegitimateInterests.includes(7) ?? true));
  const personalization = gcm?.ad_personalization !== 'denied' && has(3) && has(4);
  return { adUserData: userData ? 'granted' : 'denied', adPersonalization: personalization ? 'granted' : 'denied' };
}

function relevantPurposes(policy: DestinationPolicy | undefined, purposes: Record<string, PurposeOutcome>): Record<string, PurposeOutcome> {
  if (!policy) return {};
  const ids = [...(policy.requires.all ?? []), ...(policy.requires.any ?? [])];
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
