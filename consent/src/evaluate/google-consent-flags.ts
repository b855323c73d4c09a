import type { DecodedSignals } from '../signals/decode-signals.ts';
import { DEFAULT_GOOGLE_FLAG_PURPOSE, GOOGLE_TCF_VENDOR_ID, type GcmType, type Jurisdiction, type Policy } from '../policy/policy-schema.ts';
import type { Gvl } from '../tcf/gvl.ts';
import type { TcData } from '../tcf/tc-data.ts';
import { vendorAllowed } from '../tcf/vendor-allowed.ts';
import type { Decision, PurposeOutcome } from './consent-receipt.ts';

export type Flag = 'granted' | 'denied';

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
 * otherwise GRANTED. `by` names the reason for each flag (the receipt's `googleConsentBy`).
 * @example googleConsentFlags('allow', policy, purposes, signals, jurisdiction, gvl) // { adUserData: 'denied', adPersonalization: 'denied', by: { adUserData: 'advertising denied by gpc (header)', … } }
 */
export function googleConsentFlags(
  decision: Decision,
  policy: Policy,
  purposes: Record<string, PurposeOutcome>,
  signals: DecodedSignals,
  jurisdiction: Jurisdiction,
  gvl: Gvl | undefined,
): { adUserData: Flag; adPersonalization: Flag; by: { adUserData: string; adPersonalization: string } } {
  const out = { adUserData: 'denied' as Flag, adPersonalization: 'denied' as Flag, by: { adUserData: '', adPersonalization: '' } };
  const flags = policy.googleConsentFlags;
  for (const google of GOOGLE_FLAGS) {
    const [state, by] = flagFor(decision, flags?.[google.flag] ?? DEFAULT_GOOGLE_FLAG_PURPOSE, flags?.tcfVendorId ?? GOOGLE_TCF_VENDOR_ID, google, purposes, signals, jurisdiction, gvl);
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
  signals: DecodedSignals,
  jurisdiction: Jurisdiction,
  gvl: Gvl | undefined,
): [Flag, string] {
  const { type } = google;
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
    if (!gvl) return ['denied', `no Global Vendor List to check Google (vendor ${vendorId})`];
    for (const p of google.purposes) {
      const check = vendorAllowed(vendorId, p, tcf.value, gvl);
      if (!check.allowed) return ['denied', `tcf vendor ${vendorId}, purpose ${p}: ${check.reason}`];
    }
  }
  return ['granted', `${purposeId} granted by ${outcome.by}${gcm === 'granted' ? `; gcm ${type}=granted` : ''}`];
}
