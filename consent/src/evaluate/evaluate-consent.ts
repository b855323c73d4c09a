import type { DecodedSignals } from '../signals/decode-signals.ts';
import { DEFAULT_GOOGLE_FLAG_PURPOSE, GOOGLE_TCF_VENDOR_ID, type DestinationPolicy, type GcmType, type Jurisdiction, type Policy } from '../policy/policy-schema.ts';
import type { Gvl } from '../tcf/gvl.ts';
import { vendorAllowed } from '../tcf/vendor-allowed.ts';
import type { TcData } from '../tcf/tc-data.ts';
import type { ConsentReceipt, Decision, PurposeOutcome, SignalSummary } from './consent-receipt.ts';
import { resolveJurisdiction, type Location } from './resolve-jurisdiction.ts';
import { resolvePurposes } from './resolve-purposes.ts';
import { resolveFieldDecisions, type FieldDecision, type FieldTransform } from './field-transform.ts';

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
    const { by: googleConsentBy, ...gcm } = forwardedGcm(decision, input, purposes, jurisdiction);
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
    if (input.gvl && policy?.tcfVendorId !== undefined) receipt.gvlVersion = input.gvl.vendorListVersion;
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

type Flag = 'granted' | 'denied';

/** Google's two flags, the Consent Mode type each mirrors and the TCF purposes Google's own TCF reading ties to it. */
const GOOGLE_FLAGS = [
  { flag: 'adUserData', type: 'ad_user_data', purposes: [1, 7], tcf: (tc: TcData) => firstMissing(tc, [1], []) ?? firstMissing(tc, [7], [7]) },
  { flag: 'adPersonalization', type: 'ad_personalization', purposes: [3, 4], tcf: (tc: TcData) => firstMissing(tc, [3, 4], []) },
] as const satisfies ReadonlyArray<{ flag: string; type: GcmType; purposes: readonly number[]; tcf: (tc: TcData) => number | undefined }>;

function firstMissing(tc: TcData, consent: number[], orLi: number[]): number | undefined {
  return consent.find((p) => !tc.purposeConsents.includes(p) && !(orLi.includes(p) && tc.purposeLegitimateInterests.includes(p)));
}

/**
 * Consent Mode values forwarded explicitly to Google, from the visitor's advertising choice
 * (consent/policies/README.md, "Google's consent flags"), never from the destination being allowed:
 * 1. anything but a full allow denies both;
 * 2. the purpose the flag follows (`googleConsentFlags`, default `advertising`) as resolved from
 *    TCF / GPP / GPC / CMP categories / Consent Mode, or the jurisdiction default with no signal:
 *    denied (an opt-out, a refusal, a missing grant under opt-in) ⇒ DENIED, whatever Consent Mode says;
 * 3. the page's Consent Mode state for the type: `denied` ⇒ DENIED;
 * 4. where TCF applies and a TC string came: Google's own TCF reading (P1, and P7 by consent or
 *    LI, for ad_user_data; P3 and P4 for ad_personalization; consent.md §1.4) and the vendor check
 *    for Google (vendor 755, `googleConsentFlags.tcfVendorId`) on those purposes — a visitor who
 *    refused Google as a vendor is never reported to Google as granting; an undecodable or invalid
 *    string, or no GVL to check with ⇒ DENIED;
 * otherwise GRANTED.
 */
function forwardedGcm(
  decision: Decision,
  input: EvaluationInput,
  purposes: Record<string, PurposeOutcome>,
  jurisdiction: Jurisdiction,
): { adUserData: Flag; adPersonalization: Flag; by: { adUserData: string; adPersonalization: string } } {
  const out = { adUserData: 'denied' as Flag, adPersonalization: 'denied' as Flag, by: { adUserData: '', adPersonalization: '' } };
  const flags = input.policy.googleConsentFlags;
  for (const google of GOOGLE_FLAGS) {
    const [state, by] = flagFor(decision, flags?.[google.flag] ?? DEFAULT_GOOGLE_FLAG_PURPOSE, flags?.tcfVendorId ?? GOOGLE_TCF_VENDOR_ID, google, purposes, input, jurisdiction);
    out[google.flag] = state;
    out.by[google.flag] = by;
  }
  return out;
}

function flagFor(
  decision: Decision,
  purposeId: string,
  vendorId: number,
  google: (typeof GOOGLE_FLAGS)[number],
  purposes: Record<string, PurposeOutcome>,
  input: EvaluationInput,
  jurisdiction: Jurisdiction,
): [Flag, string] {
  const { type } = google;
  const signals = input.signals;
  if (decision !== 'allow') return ['denied', `decision ${decision}`];
  const outcome = purposes[purposeId];
  if (!outcome) return ['denied', `no purpose "${purposeId}" in the policy`];
  if (outcome.state === 'denied') return ['denied', `${purposeId} denied by ${outcome.by}`];
  const gcm = signals.consentMode?.[type];
  if (gcm === 'denied') return ['denied', `gcm ${type}=denied`];
  const tcf = jurisdiction.signals.tcf ? signals.tcf : undefined;
  if (tcf && !tcf.ok) return ['denied', `tcf undecodable: ${tcf.reason}`];
  if (tcf && !tcf.validity.valid) return ['denied', `tcf invalid: ${tcf.validity.reasons.join('; ')}`];
  if (tcf?.ok) {
    const missing = google.tcf(tcf.value);
    if (missing !== undefined) return ['denied', `tcf purpose ${missing} not consented (Google's TCF mapping)`];
    if (!input.gvl) return ['denied', `no Global Vendor List to check Google (vendor ${vendorId})`];
    for (const p of google.purposes) {
      const check = vendorAllowed(vendorId, p, tcf.value, input.gvl);
      if (!check.allowed) return ['denied', `tcf vendor ${vendorId}, purpose ${p}: ${check.reason}`];
    }
  }
  return ['granted', `${purposeId} granted by ${outcome.by}${gcm === 'granted' ? `; gcm ${type}=granted` : ''}`];
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
