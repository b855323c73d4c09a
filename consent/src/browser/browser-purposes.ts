import type { PolicyView } from '../policy/policy-view.ts';
import type { BrowserSignals } from './browser-signals.ts';

export type PurposeStates = Record<string, 'granted' | 'denied'>;

/** TCF 2.2: no legitimate interest for purposes 1 and 3–6 (kept local: no import of the decoder side). */
const CONSENT_ONLY = [1, 3, 4, 5, 6];

/**
 * The browser's advisory reading of the policy view (same order as the gateway's evaluator:
 * any denial wins, then any grant, then `noSignal.then` while nothing is known, else the model).
 */
export function browserPurposes(view: PolicyView, signals: BrowserSignals, known: boolean): PurposeStates {
  const out: PurposeStates = {};
  for (const [id, purpose] of Object.entries(view.purposes)) {
    if (purpose.essential) {
      out[id] = 'granted';
      continue;
    }
    const votes = votesFor(purpose, signals);
    if (votes.includes(false)) out[id] = 'denied';
    else if (votes.includes(true)) out[id] = 'granted';
    else if (!known) out[id] = view.noSignal.then === 'allow' ? 'granted' : 'denied';
    else out[id] = view.model === 'opt-in' ? 'denied' : 'granted';
  }
  return out;
}

function votesFor(purpose: PolicyView['purposes'][string], signals: BrowserSignals): boolean[] {
  const votes: boolean[] = [];
  const tcf = signals.tcf;
  if (purpose.tcf.length > 0 && tcf && tcf.gdprApplies !== false) {
    votes.push(purpose.tcf.every((p) => tcf.purposeConsents.includes(p) || (!CONSENT_ONLY.includes(p) && tcf.purposeLegitimateInterests.includes(p))));
  }
  const gcm = signals.consentMode as Record<string, string | undefined> | undefined;
  if (purpose.gcm.length > 0 && gcm) {
    const states = purpose.gcm.map((t) => gcm[t]);
    if (states.includes('denied')) votes.push(false);
    else if (states.every((s) => s === 'granted')) votes.push(true);
  }
  for (const field of purpose.gpp) {
    for (const section of Object.values(signals.gpp?.sections ?? {})) {
      const value = section[field];
      if (field === 'Gpc') {
        if (value === true) votes.push(false);
      } else if (value === 1 || value === 'Y' || (Array.isArray(value) && value.includes(1))) votes.push(false);
      else if (value === 2 || value === 'N') votes.push(true);
    }
  }
  if (purpose.gpcOptsOut && signals.gpc === true) votes.push(false);
  const chosen = signals.cmpCategories;
  if (purpose.cmp?.length && chosen) {
    if (purpose.cmp.some((c) => chosen[c] === false)) votes.push(false);
    else if (purpose.cmp.every((c) => chosen[c] === true)) votes.push(true);
  }
  return votes;
}

/** Can any destination receive an event under these purpose states (fully, or in limited-data-use mode)? */
export function anyDestinationOpen(view: PolicyView, states: PurposeStates): boolean {
  return Object.values(view.destinations).some((d) => {
    const all = d.all.every((p) => states[p] === 'granted');
    const any = d.any.length === 0 || d.any.some((p) => states[p] === 'granted');
    return (all && any) || d.limited;
  });
}
