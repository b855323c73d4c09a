import type { Event } from '@sluice/protocol';
import type { PlanMode, PlannedEvent, PropertyRule, PropertyType, TrackingPlan } from './plan-schema.ts';
import { PATTERN_INPUT_MAX } from './safe-pattern.ts';

/** One broken rule: where, which rule, and what the plan does about it. */
export interface PlanViolation {
  /** `properties.value`, or `event` for the event itself. */
  path: string;
  /** `type`, `required`, `enum`, `min`, `max`, `minLength`, `maxLength`, `pattern`, `unplanned-property`, `unplanned-event`. */
  rule: string;
  message: string;
  action: PlanMode;
}

/** What the plan does to one event. `event` is the (possibly stripped) event to go on with. */
export type PlanVerdict =
  | { action: 'accept'; event: Event; violations: PlanViolation[]; planned: boolean }
  | { action: 'reject' | 'quarantine'; event: Event; violations: PlanViolation[]; planned: boolean };

/** The plan's name for an event: the track name, or `$page` / `$identify`. */
export function planName(event: Event): string {
  return event.type === 'track' ? event.event : `$${event.type}`;
}

/**
 * Checks one event against a tracking plan. Pure; never mutates the event (a stripped event is a copy).
 * Page and identify events are planned only when the plan names `$page` / `$identify`.
 * A violation in `reject` mode rejects the event; else one in `quarantine` mode quarantines it;
 * `strip` violations drop the offending property. A required property that is missing cannot be
 * stripped: in `strip` mode it rejects the event. `excused`: planned properties withheld for want of
 * consent (withholdByPurpose) — their absence is no `required` violation.
 * @example checkEvent(plan, event) // { action: 'reject', violations: [{ path: 'properties.value', rule: 'type', … }] }
 */
export function checkEvent(plan: TrackingPlan, event: Event, excused: ReadonlySet<string> = NONE): PlanVerdict {
  const name = planName(event);
  const spec = plan.events[name];
  if (!spec) {
    if (event.type !== 'track' || plan.unplannedEvents === 'allow') return { action: 'accept', event, violations: [], planned: false };
    if (plan.unplannedEvents === 'reject') {
      return { action: 'reject', event, planned: false, violations: [{ path: 'event', rule: 'unplanned-event', message: `event "${name}" is not in the tracking plan`, action: 'reject' }] };
    }
    if (!event.properties || Object.keys(event.properties).length === 0) return { action: 'accept', event, violations: [], planned: false };
    const { properties: _dropped, ...rest } = event;
    return { action: 'accept', event: rest as Event, planned: false, violations: [{ path: 'properties', rule: 'unplanned-event', message: `event "${name}" is not in the tracking plan: properties stripped`, action: 'strip' }] };
  }
  const violations: PlanViolation[] = [];
  const props = event.properties ?? {};
  const strip = new Set<string>();
  const eventMode = spec.mode ?? plan.mode;
  for (const [prop, rule] of Object.entries(spec.properties)) {
    const mode = rule.mode ?? eventMode;
    if (!(prop in props)) {
      if (rule.required && !excused.has(prop)) violations.push({ path: `properties.${prop}`, rule: 'required', message: 'required property is missing', action: mode === 'strip' ? 'reject' : mode });
      continue;
    }
    const broken = brokenRule(props[prop], rule);
    if (!broken) continue;
    violations.push({ path: `properties.${prop}`, rule: broken.rule, message: broken.message, action: mode });
    if (mode === 'strip') strip.add(prop);
  }
  const unplanned = unplannedMode(spec, plan);
  if (unplanned !== 'allow') {
    for (const prop of Object.keys(props)) {
      if (spec.properties[prop]) continue;
      const action: PlanMode = unplanned === 'strip' ? 'strip' : unplanned;
      violations.push({ path: `properties.${prop}`, rule: 'unplanned-property', message: `property "${prop}" is not planned for "${name}"`, action });
      if (action === 'strip') strip.add(prop);
    }
  }
  if (violations.some((v) => v.action === 'reject')) return { action: 'reject', event, violations, planned: true };
  if (violations.some((v) => v.action === 'quarantine')) return { action: 'quarantine', event, violations, planned: true };
  if (strip.size === 0) return { action: 'accept', event, violations, planned: true };
  const kept = Object.fromEntries(Object.entries(props).filter(([k]) => !strip.has(k)));
  return { action: 'accept', event: { ...event, properties: kept }, violations, planned: true };
}

const NONE: ReadonlySet<string> = new Set();

function unplannedMode(spec: PlannedEvent, plan: TrackingPlan) {
  return spec.unplannedProperties ?? plan.unplannedProperties;
}

/** The JSON type of a value as the plan names types (`integer` is reported as `integer`). */
export function observedType(value: unknown): PropertyType {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  if (typeof value === 'string' || typeof value === 'boolean') return typeof value as PropertyType;
  return 'object';
}

function typeMatches(value: unknown, types: readonly PropertyType[]): boolean {
  const actual = observedType(value);
  return types.includes(actual) || (actual === 'integer' && types.includes('number'));
}

/** Regexes compiled once per pattern (patterns come from validated plans only). */
const compiled = new Map<string, RegExp>();
function regex(pattern: string): RegExp {
  let r = compiled.get(pattern);
  if (!r) {
    if (compiled.size > 1000) compiled.clear();
    r = new RegExp(pattern, 'u');
    compiled.set(pattern, r);
  }
  return r;
}

function brokenRule(value: unknown, rule: PropertyRule): { rule: string; message: string } | null {
  const types = Array.isArray(rule.type) ? rule.type : [rule.type];
  if (!typeMatches(value, types)) return { rule: 'type', message: `expected ${types.join(' or ')}, got ${observedType(value)}` };
  if (rule.enum && !rule.enum.includes(value as string | number | boolean)) return { rule: 'enum', message: `not one of the ${rule.enum.length} allowed values` };
  if (typeof value === 'number') {
    if (rule.min !== undefined && value < rule.min) return { rule: 'min', message: `below the minimum ${rule.min}` };
    if (rule.max !== undefined && value > rule.max) return { rule: 'max', message: `above the maximum ${rule.max}` };
  }
  if (typeof value === 'string') {
    if (rule.minLength !== undefined && value.length < rule.minLength) return { rule: 'minLength', message: `shorter than ${rule.minLength}` };
    if (rule.maxLength !== undefined && value.length > rule.maxLength) return { rule: 'maxLength', message: `longer than ${rule.maxLength}` };
    if (rule.pattern !== undefined && value.length > PATTERN_INPUT_MAX) return { rule: 'pattern', message: `longer than the ${PATTERN_INPUT_MAX} characters a pattern is tested on` };
    if (rule.pattern !== undefined && !regex(rule.pattern).test(value)) return { rule: 'pattern', message: 'does not match the pattern' };
  }
  return null;
}
