import { decodeSignals, evaluateConsent, readSecGpc, type Evaluation } from '@sluice/consent';
import type { Event } from '@sluice/protocol';
import type { LivePolicy } from '../consent/live-policy.ts';
import type { Location } from '@sluice/consent';

/**
 * "Consented for reporting" means: the site has a live consent policy, and under it the
 * reporting purpose (`ReportConfig.purpose`, default `measurement`) is granted for the event's
 * own signals, jurisdiction and GPC, exactly as the gateway decides for destinations. No policy,
 * or a policy without that purpose, counts nothing: consent-first, there is no default yes.
 * @example
 * const consented = reportingConsent(live, 'measurement', request.headers, { country: 'DE' });
 * events.filter(consented);
 */
export function reportingConsent(live: LivePolicy | null, purpose: string, headers: Headers, location: Location): (event: Event) => boolean {
  if (!live || !live.policy.purposes[purpose]) return () => false;
  const secGpc = readSecGpc(headers);
  const memo = new Map<string, Evaluation>();
  return (event) => {
    const key = JSON.stringify(event.consent ?? null);
    let evaluation = memo.get(key);
    if (!evaluation) {
      const signals = decodeSignals(event.consent, secGpc);
      evaluation = evaluateConsent({ policy: live.policy, policyVersion: live.policyVersion, signals, location, destinations: [] });
      memo.set(key, evaluation);
    }
    return evaluation.purposes[purpose]?.state === 'granted';
  };
}
