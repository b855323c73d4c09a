import type { Event } from '@sluice/protocol';
import type { ConsentPlanner } from '../consent/consent-planner.ts';
import type { TrackingPlan } from './plan-schema.ts';
import { excusedProperties, planDeclaresPurposes, withholdByPurpose, type WithheldProperty } from './withhold-by-purpose.ts';

/** One event after consent withholding: the event to check, the properties excused from `required`, what was dropped. */
export interface WithheldEvent {
  event: Event;
  excused: ReadonlySet<string>;
  withheld: WithheldProperty[];
}

const NOTHING: ReadonlySet<string> = new Set();

/**
 * The per-event withholding step of a plan: with no property declaring purposes, the identity
 * (and no consent planner is built); otherwise each event loses the properties whose purposes its
 * signals (under the planner's authoritative evaluation) do not all grant.
 * @example const withhold = await consentWithholding(plan, () => consentPlanner(env, site, request)); const { event } = withhold(e)
 */
export async function consentWithholding(plan: TrackingPlan, planner: () => Promise<ConsentPlanner | null>): Promise<(event: Event) => WithheldEvent> {
  if (!planDeclaresPurposes(plan)) return (event) => ({ event, excused: NOTHING, withheld: [] });
  const decided = await planner();
  return (event) => {
    // No planner (cannot happen with the built-in default policy): nothing is granted.
    const states = decided?.purposes(event) ?? {};
    const granted = (purpose: string) => states[purpose]?.state === 'granted';
    const { event: kept, withheld } = withholdByPurpose(plan, event, granted);
    return { event: kept, excused: excusedProperties(plan, event, granted), withheld };
  };
}
