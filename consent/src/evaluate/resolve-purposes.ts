import type { DecodedSignals } from '../signals/decode-signals.ts';
import type { Jurisdiction, Policy, Purpose } from '../policy/policy-schema.ts';
import { gppFieldVote } from '../gpp/us-section-vote.ts';
import { CONSENT_ONLY_PURPOSES } from '../tcf/validate-tc-data.ts';
import type { TcData } from '../tcf/tc-data.ts';
import type { PurposeOutcome } from './consent-receipt.ts';

interface Vote {
  granted: boolean;
  by: string;
}

/**
 * Maps signals to the policy's purposes for one jurisdiction. Any denial wins (most protective;
 * GPC is never overridden by a default); then any grant; with no vote the jurisdiction decides:
 * `noSignal.then` when the event carried no signal at all, else its model (opt-in → denied).
 */
export function resolvePurposes(policy: Policy, jurisdiction: Jurisdiction, index: number, signals: DecodedSignals): Record<string, PurposeOutcome> {
  const out: Record<string, PurposeOutcome> = {};
  for (const [id, purpose] of Object.entries(policy.purposes)) {
    if (purpose.essential) {
      out[id] = { state: 'granted', by: `purposes.${id}.essential` };
      continue;
    }
    const votes = votesFor(id, purpose, jurisdiction, signals);
    const denied = votes.find((v) => !v.granted);
    const granted = votes.find((v) => v.granted);
    if (denied) out[id] = { state: 'denied', by: denied.by };
    else if (granted) out[id] = { state: 'granted', by: granted.by };
    else if (!signals.present) {
      out[id] = { state: jurisdiction.noSignal.then === 'allow' ? 'granted' : 'denied', by: `jurisdictions[${index}].noSignal.then` };
    } else {
      out[id] = { state: jurisdiction.model === 'opt-in' ? 'denied' : 'granted', by: `jurisdictions[${index}].model (${jurisdiction.model}, no signal for this purpose)` };
    }
  }
  return out;
}

function votesFor(id: string, purpose: Purpose, jurisdiction: Jurisdiction, signals: DecodedSignals): Vote[] {
  const votes: Vote[] = [];
  const tcfVote = jurisdiction.signals.tcf && purpose.tcf ? tcfPurposeVote(purpose.tcf, signals) : undefined;
  if (tcfVote) votes.push(tcfVote);
  const gcmTypes = jurisdiction.signals.gcm?.[id];
  if (gcmTypes && signals.consentMode) {
    const states = gcmTypes.map((t) => [t, signals.consentMode![t]] as const);
    const denied = states.find(([, s]) => s === 'denied');
    if (denied) votes.push({ granted: false, by: `gcm ${denied[0]}=denied` });
    else if (states.every(([, s]) => s === 'granted')) votes.push({ granted: true, by: `gcm ${gcmTypes.join('+')}=granted` });
  }
  const categories = jurisdiction.signals.cmp?.[id];
  const chosen = signals.cmpCategories;
  if (categories && chosen) {
    const denied = categories.find((c) => chosen[c] === false);
    if (denied) votes.push({ granted: false, by: `cmp category ${denied} denied` });
    else if (categories.every((c) => chosen[c] === true)) votes.push({ granted: true, by: `cmp categories ${categories.join('+')} granted` });
  }
  for (const [field, purposes] of Object.entries(jurisdiction.signals.gpp ?? {})) {
    if (!purposes.includes(id)) continue;
    if (signals.gpp && !signals.gpp.ok) {
      votes.push({ granted: false, by: `gpp undecodable: ${signals.gpp.reason}` });
      continue;
    }
    for (const section of signals.gppApplicable) {
      const vote = gppFieldVote(section, field);
      if (vote) votes.push({ granted: vote === 'granted', by: `gpp ${section.name}.${field}=${String(section.fields[field])}` });
    }
  }
  if (jurisdiction.signals.gpc?.optsOut.includes(id) && signals.gpc.on) {
    votes.push({ granted: false, by: `gpc (${signals.gpc.sources.join('+')})` });
  }
  return votes;
}

function tcfPurposeVote(tcf: NonNullable<Purpose['tcf']>, signals: DecodedSignals): Vote | undefined {
  const signal = signals.tcf;
  if (!signal) return undefined;
  if (!signal.ok) return { granted: false, by: signal.reason };
  if (!signal.validity.valid) return { granted: false, by: `tcf invalid: ${signal.validity.reasons.join('; ')}` };
  const tc = signal.value;
  for (const p of tcf.purposes) {
    if (!purposeGranted(p, tc.purposeConsents, tc.purposeLegitimateInterests)) return { granted: false, by: `tcf purpose ${p} not consented` };
  }
  for (const p of tcf.publisherPurposes ?? []) {
    const pub = tc.publisherTC;
    if (!pub || !purposeGranted(p, pub.purposeConsents, pub.purposeLegitimateInterests)) return { granted: false, by: `tcf publisher purpose ${p} not consented` };
  }
  for (const p of tcf.customPurposes ?? []) {
    if (!tc.publisherTC?.customPurposeConsents.includes(p)) return { granted: false, by: `tcf custom purpose ${p} not consented` };
  }
  return { granted: true, by: `tcf purposes ${describe(tcf, tc)}` };
}

/** Consent, or legitimate interest where TCF 2.2 still allows it (never for 1 and 3–6). */
function purposeGranted(p: number, consents: number[], li: number[]): boolean {
  return consents.includes(p) || (!CONSENT_ONLY_PURPOSES.includes(p) && li.includes(p));
}

function describe(tcf: NonNullable<Purpose['tcf']>, tc: TcData): string {
  const parts = [tcf.purposes.join(',') || '-'];
  if (tcf.publisherPurposes?.length) parts.push(`publisher ${tcf.publisherPurposes.join(',')}`);
  if (tcf.customPurposes?.length) parts.push(`custom ${tcf.customPurposes.join(',')}`);
  return `${parts.join(' / ')} (cmp ${tc.cmpId})`;
}
