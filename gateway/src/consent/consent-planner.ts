import { decodeSignals, evaluateConsent, readSecGpc, type DestinationVerdict, type Evaluation, type Location, type PurposeOutcome } from '@sluice/consent';
import type { Event } from '@sluice/protocol';
import type { Env } from '../env.ts';
import type { SiteConfig } from '../site-config/site-config.ts';
import { loadLivePolicy, type LivePolicy } from './live-policy.ts';
import { defaultLivePolicy } from './default-policy.ts';
import { loadGvl } from './live-gvl.ts';
import { requestLocation } from './request-location.ts';
import { relayedLocation } from '../sources/relayed/index.ts';

/** Decides consent for every event of one request under the site's live policy. */
export interface ConsentPlanner {
  live: LivePolicy;
  verdict(event: Event, destinationKey: string): DestinationVerdict;
  /** Every purpose of the policy as decided for this event's signals (the same evaluation as `verdict`). */
  purposes(event: Event): Record<string, PurposeOutcome>;
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
  // Events of one page share their signals: evaluate each distinct signal set once — and, since an
  // evaluation depends only on the policy, the GVL, the signals, Sec-GPC, the place and the site's
  // destinations, once per isolate while the cached policy and GVL objects live (issue 14: decoding the
  // TC string and evaluating it was a per-request cost of every batch of a visitor's page).
  const context = `${objectId(live.policy)}\u0000${gvl ? objectId(gvl) : 0}\u0000${JSON.stringify([live.policyVersion, secGpc, location, destinations])}`;
  // …and each event's evaluation is looked up once, not once per destination.
  const byEvent = new WeakMap<Event, Evaluation>();
  const evaluate = (event: Event): Evaluation => {
    const known = byEvent.get(event);
    if (known) return known;
    // Server sources: each event is placed where its end user is (sources/relayed/), not at the server.
    const placed = relayedLocation(request, event, live.policy);
    const key = `${context}\u0000${JSON.stringify([event.consent ?? null, placed ?? null])}`;
    let evaluation = evaluations.get(key);
    if (evaluation) {
      // Most recently used last: the bound below evicts the least recently used signal set.
      evaluations.delete(key);
      evaluations.set(key, evaluation);
    } else {
      const signals = decodeSignals(event.consent, secGpc);
      evaluation = evaluateConsent({ policy: live.policy, policyVersion: live.policyVersion, signals, location: placed?.location ?? location, destinations, gvl });
      if (placed?.basis === 'unknown') evaluation = withoutStandIn(evaluation);
      evaluations.set(key, evaluation);
      if (evaluations.size > EVALUATIONS_KEPT) evaluations.delete(evaluations.keys().next().value!);
    }
    byEvent.set(event, evaluation);
    return evaluation;
  };
  return {
    live,
    verdict: (event, destinationKey) => evaluate(event).destinations[destinationKey]!,
    purposes: (event) => evaluate(event).purposes,
  };
}

/**
 * Evaluations kept per isolate, all sites together (least recently used evicted): a bound on memory
 * (~10 KB an evaluation) however many sites and policies an isolate serves.
 */
export const EVALUATIONS_KEPT = 256;

/**
 * Evaluations by policy object, GVL object (both cached per isolate and replaced on reload, so a new
 * policy or GVL never meets an old evaluation), policy version, Sec-GPC, place, destinations and
 * signals. Evaluations are never mutated.
 */
const evaluations = new Map<string, Evaluation>();

/** A number per object for the cache keys (weak: the object is not kept alive by it). */
const objectIds = new WeakMap<object, number>();
let nextObjectId = 1;

function objectId(value: object): number {
  let id = objectIds.get(value);
  if (id === undefined) objectIds.set(value, (id = nextObjectId++));
  return id;
}

/** An unknown place was read as the strictest jurisdiction through a stand-in location: the receipts name the jurisdiction, not the stand-in. */
function withoutStandIn(evaluation: Evaluation): Evaluation {
  const destinations = Object.fromEntries(
    Object.entries(evaluation.destinations).map(([key, verdict]) => {
      const { id, model } = verdict.receipt.jurisdiction;
      return [key, { ...verdict, receipt: { ...verdict.receipt, jurisdiction: { id, model } } }];
    }),
  );
  return { ...evaluation, destinations };
}
