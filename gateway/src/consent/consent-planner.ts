import { decodeSignals, evaluateConsent, readSecGpc, type DestinationVerdict, type Evaluation, type Location } from '@sluice/consent';
import type { Event } from '@sluice/protocol';
import type { Env } from '../env.ts';
import type { SiteConfig } from '../site-config/site-config.ts';
import { loadLivePolicy, type LivePolicy } from './live-policy.ts';
import { defaultLivePolicy } from './default-policy.ts';
import { loadGvl } from './live-gvl.ts';
import { requestLocation } from './request-location.ts';

/** Decides consent for every event of one request under the site's live policy. */
export interface ConsentPlanner {
  live: LivePolicy;
  verdict(event: Event, destinationKey: string): DestinationVerdict;
}

/**
 * A site without a policy of its own (or whose stored one no longer validates) runs under the
 * built-in default policy (default-policy.ts), never "everything granted". The gateway decodes
 * the raw signals itself and reads `Sec-GPC` and edge geo from the request.
 */
export async function consentPlanner(env: Env, site: SiteConfig, request: Request): Promise<ConsentPlanner | null> {
  const live = (await loadLivePolicy(env.CONFIG, site.id)) ?? (await defaultLivePolicy(site));
  const gvl = await loadGvl(env.CONFIG);
  const secGpc = readSecGpc(request.headers);
  const location: Location = requestLocation(request, env.GEO_OVERRIDE);
  const destinations = Object.keys(site.destinations);
  // Events of one page share their signals: evaluate each distinct signal set once.
  const memo = new Map<string, Evaluation>();
  // …and each event's evaluation is looked up once, not once per destination.
  const byEvent = new WeakMap<Event, Evaluation>();
  return {
    live,
    verdict(event, destinationKey) {
      let evaluation = byEvent.get(event);
      if (!evaluation) {
        const key = JSON.stringify(event.consent ?? null);
        evaluation = memo.get(key);
        if (!evaluation) {
          const signals = decodeSignals(event.consent, secGpc);
          evaluation = evaluateConsent({ policy: live.policy, policyVersion: live.policyVersion, signals, location, destinations, gvl });
          memo.set(key, evaluation);
        }
        byEvent.set(event, evaluation);
      }
      return evaluation.destinations[destinationKey]!;
    },
  };
}
