import type { FieldCondition, FieldRule, Policy } from '../policy/policy-schema.ts';
import type { DecodedSignals } from '../signals/decode-signals.ts';
import type { PurposeOutcome } from './consent-receipt.ts';

/** One resolved minimization step: what to do to which field, and which rule said so. */
export interface FieldTransform {
  path: string;
  action: 'keep' | 'drop' | 'hash' | 'generalize' | 'strip-query';
  ipv4Prefix?: number;
  ipv6Prefix?: number;
  keep?: string[];
  rule: string;
}

/** A field rule as resolved for one evaluation, `keep` included, with why its condition held or not. */
export interface FieldDecision extends FieldTransform {
  /** `unconditional`, or the condition that held / failed, e.g. `needs.gcm ad_user_data not granted (not set)`. */
  reason: string;
}

/**
 * Global field rules first, then the destination's: a conditional rule resolves to its action
 * when its condition holds, else to its `else`. Conditions (consent-policy docs, "Field rules"):
 * `needs` = every purpose granted and every Consent Mode type explicitly `granted`;
 * `unlessDenied` (and the deprecated `requires`, same meaning) = no purpose denied and no Consent
 * Mode type explicitly `denied`. A rule with both needs both to hold.
 * @example resolveFieldDecisions(policy, 'google_ads', purposes, signals)[0] // { path: 'user.email', action: 'drop', rule: '….else', reason: 'needs.gcm ad_user_data not granted (not set)' }
 */
export function resolveFieldDecisions(
  policy: Policy,
  destination: string,
  purposes: Record<string, PurposeOutcome>,
  signals: DecodedSignals,
): FieldDecision[] {
  const out: FieldDecision[] = [];
  const add = (rules: Record<string, FieldRule>, at: string) => {
    for (const [path, rule] of Object.entries(rules)) out.push(resolve(path, rule, `${at}.${path}`, purposes, signals));
  };
  add(policy.fields, 'fields');
  add(policy.destinations[destination]?.fields ?? {}, `destinations.${destination}.fields`);
  return out;
}

/** The transforms to apply (`resolveFieldDecisions` without `keep` steps and reasons). */
export function resolveFieldTransforms(
  policy: Policy,
  destination: string,
  purposes: Record<string, PurposeOutcome>,
  signals: DecodedSignals,
): FieldTransform[] {
  return resolveFieldDecisions(policy, destination, purposes, signals)
    .filter((d) => d.action !== 'keep')
    .map(({ reason: _reason, ...transform }) => transform);
}

function resolve(path: string, rule: FieldRule, at: string, purposes: Record<string, PurposeOutcome>, signals: DecodedSignals): FieldDecision {
  const conditions: Array<[string, FieldCondition | undefined, 'grant' | 'not-denied']> = [
    ['needs', rule.needs, 'grant'],
    ['unlessDenied', rule.unlessDenied, 'not-denied'],
    ['requires', rule.requires, 'not-denied'],
  ];
  const held: string[] = [];
  for (const [name, condition, test] of conditions) {
    if (!condition) continue;
    const failed = failure(name, condition, test, purposes, signals);
    if (failed) return { path, action: rule.else, rule: `${at}.else`, reason: failed };
    held.push(`${name} met`);
  }
  const t: FieldDecision = { path, action: rule.action, rule: at, reason: held.length > 0 ? held.join('; ') : 'unconditional' };
  if (rule.ipv4Prefix !== undefined) t.ipv4Prefix = rule.ipv4Prefix;
  if (rule.ipv6Prefix !== undefined) t.ipv6Prefix = rule.ipv6Prefix;
  if (rule.keep) t.keep = rule.keep;
  return t;
}

function failure(
  name: string,
  condition: FieldCondition,
  test: 'grant' | 'not-denied',
  purposes: Record<string, PurposeOutcome>,
  signals: DecodedSignals,
): string | undefined {
  for (const p of condition.purposes ?? []) {
    const outcome = purposes[p];
    if (outcome?.state !== 'granted') return `${name}.purposes ${p} denied by ${outcome?.by ?? 'unknown purpose'}`;
  }
  for (const type of condition.gcm ?? []) {
    const state = signals.consentMode?.[type];
    if (test === 'grant' && state !== 'granted') return `${name}.gcm ${type} not granted (${state ?? 'not set'})`;
    if (test === 'not-denied' && state === 'denied') return `${name}.gcm ${type} denied`;
  }
  return undefined;
}
