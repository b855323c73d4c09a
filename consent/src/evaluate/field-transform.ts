import type { FieldRule, Policy } from '../policy/policy-schema.ts';
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

/**
 * Global field rules first, then the destination's: a conditional rule (`requires`) resolves
 * to its action when the purposes / Consent Mode types are granted, else to its `else`.
 */
export function resolveFieldTransforms(
  policy: Policy,
  destination: string,
  purposes: Record<string, PurposeOutcome>,
  signals: DecodedSignals,
): FieldTransform[] {
  const out: FieldTransform[] = [];
  const add = (rules: Record<string, FieldRule>, at: string) => {
    for (const [path, rule] of Object.entries(rules)) out.push(resolve(path, rule, `${at}.${path}`, purposes, signals));
  };
  add(policy.fields, 'fields');
  add(policy.destinations[destination]?.fields ?? {}, `destinations.${destination}.fields`);
  return out.filter((t) => t.action !== 'keep');
}

function resolve(path: string, rule: FieldRule, at: string, purposes: Record<string, PurposeOutcome>, signals: DecodedSignals): FieldTransform {
  const met =
    (rule.requires?.purposes ?? []).every((p) => purposes[p]?.state === 'granted') &&
    (rule.requires?.gcm ?? []).every((t) => signals.consentMode?.[t] !== 'denied');
  if (!met) return { path, action: rule.else, rule: `${at}.else` };
  const t: FieldTransform = { path, action: rule.action, rule: at };
  if (rule.ipv4Prefix !== undefined) t.ipv4Prefix = rule.ipv4Prefix;
  if (rule.ipv6Prefix !== undefined) t.ipv6Prefix = rule.ipv6Prefix;
  if (rule.keep) t.keep = rule.keep;
  return t;
}
