import type { Event } from '@sluice/protocol';
import { planName } from './check-event.ts';
import type { TrackingPlan } from './plan-schema.ts';

/** One property the visitor's consent does not cover: its path and the purposes not granted. */
export interface WithheldProperty {
  path: string;
  /** Declared purposes of the property that the authoritative consent did not grant. */
  missing: string[];
}

/** The event without the properties its visitor did not consent to, and which those were. */
export interface Withholding {
  event: Event;
  withheld: WithheldProperty[];
}

/** Whether any planned property declares consent purposes (only then is consent needed before the plan). */
export function planDeclaresPurposes(plan: TrackingPlan): boolean {
  return Object.values(plan.events).some((e) => Object.values(e.properties).some((p) => (p.purposes?.length ?? 0) > 0));
}

/**
 * Drops every planned property whose declared `purposes` are not all granted — for every
 * destination, the warehouse included. A property needing `advertising` is advertising data: keeping
 * it for analytics or the warehouse when advertising was refused would be processing it for a
 * purpose the visitor did not accept (GDPR Art. 5(1)(b), purpose limitation). Per-destination
 * shaping of data a visitor did consent to stays with the consent policy's field rules.
 * A purpose the policy does not define is never granted (fail closed). Pure; the event is copied
 * only when something is dropped.
 * @example withholdByPurpose(plan, event, (p) => p === 'measurement').withheld // [{ path: 'properties.value', missing: ['advertising'] }]
 */
export function withholdByPurpose(plan: TrackingPlan, event: Event, granted: (purpose: string) => boolean): Withholding {
  const spec = plan.events[planName(event)];
  const props = event.properties;
  if (!spec || !props) return { event, withheld: [] };
  const withheld: WithheldProperty[] = [];
  for (const [name, rule] of Object.entries(spec.properties)) {
    if (!rule.purposes?.length || !(name in props)) continue;
    const missing = rule.purposes.filter((p) => !granted(p));
    if (missing.length) withheld.push({ path: `properties.${name}`, missing });
  }
  if (withheld.length === 0) return { event, withheld };
  const drop = new Set(withheld.map((w) => w.path.slice('properties.'.length)));
  const kept = Object.fromEntries(Object.entries(props).filter(([k]) => !drop.has(k)));
  return { event: { ...event, properties: kept }, withheld };
}

/**
 * The names of planned properties the visitor's consent does not cover, whether the event carries
 * them or not: a required one among them is excused (its absence is the visitor's choice).
 * @example excusedProperties(plan, event, granted) // Set { 'value' }
 */
export function excusedProperties(plan: TrackingPlan, event: Event, granted: (purpose: string) => boolean): Set<string> {
  const spec = plan.events[planName(event)];
  const out = new Set<string>();
  if (!spec) return out;
  for (const [name, rule] of Object.entries(spec.properties)) if (rule.purposes?.some((p) => !granted(p))) out.add(name);
  return out;
}

/**
 * The plan's property purposes that the consent policy does not define, with their paths (a plan
 * PUT refuses them: such a property could never be granted).
 * @example unknownPurposes(plan, ['essential', 'measurement']) // [{ path: 'events.Purchase.properties.value.purposes.0', message: … }]
 */
export function unknownPurposes(plan: TrackingPlan, defined: readonly string[]): Array<{ path: string; message: string }> {
  const out: Array<{ path: string; message: string }> = [];
  for (const [event, spec] of Object.entries(plan.events)) {
    for (const [prop, rule] of Object.entries(spec.properties)) {
      rule.purposes?.forEach((purpose, i) => {
        if (!defined.includes(purpose)) out.push({ path: `events.${event}.properties.${prop}.purposes.${i}`, message: `purpose "${purpose}" is not defined by the site's consent policy (${defined.join(', ')})` });
      });
    }
  }
  return out;
}
