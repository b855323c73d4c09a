import type { Policy } from './policy-schema.ts';

/** One validation problem, named by its path in the document (`jurisdictions[1].noSignal.then`). */
export interface PolicyIssue {
  path: string;
  message: string;
}

const URL_FIELDS = ['context.page.url', 'context.page.referrer'];

/**
 * The checks a schema cannot express: every purpose and jurisdiction named exists, exactly one
 * default jurisdiction and it comes last, opt-in never defaults to allow, field actions fit fields.
 */
export function crossReference(policy: Policy): PolicyIssue[] {
  const issues: PolicyIssue[] = [];
  const purposes = new Set(Object.keys(policy.purposes));
  const purpose = (path: string, id: string) => {
    if (!purposes.has(id)) issues.push({ path, message: `unknown purpose "${id}"` });
  };
  const jurisdictionIds = new Set<string>();
  policy.jurisdictions.forEach((j, i) => {
    const at = `jurisdictions[${i}]`;
    if (jurisdictionIds.has(j.id)) issues.push({ path: `${at}.id`, message: `duplicate jurisdiction id "${j.id}"` });
    jurisdictionIds.add(j.id);
    const isDefault = 'default' in j.match;
    if (isDefault && i !== policy.jurisdictions.length - 1) issues.push({ path: `${at}.match`, message: 'the default jurisdiction must come last (first match wins)' });
    if (j.model === 'opt-in' && j.noSignal.then === 'allow') issues.push({ path: `${at}.noSignal.then`, message: 'an opt-in jurisdiction cannot default to allow' });
    for (const [p, _] of Object.entries(j.signals.gcm ?? {})) purpose(`${at}.signals.gcm.${p}`, p);
    for (const p of Object.keys(j.signals.cmp ?? {})) purpose(`${at}.signals.cmp.${p}`, p);
    for (const [field, ids] of Object.entries(j.signals.gpp ?? {})) ids.forEach((p, k) => purpose(`${at}.signals.gpp.${field}[${k}]`, p));
    j.signals.gpc?.optsOut.forEach((p, k) => purpose(`${at}.signals.gpc.optsOut[${k}]`, p));
  });
  const defaults = policy.jurisdictions.filter((j) => 'default' in j.match).length;
  if (defaults !== 1) issues.push({ path: 'jurisdictions', message: `exactly one jurisdiction needs match.default: true (found ${defaults})` });
  for (const [key, d] of Object.entries(policy.destinations)) {
    const at = `destinations.${key}`;
    d.requires.all?.forEach((p, k) => purpose(`${at}.requires.all[${k}]`, p));
    d.requires.any?.forEach((p, k) => purpose(`${at}.requires.any[${k}]`, p));
    for (const j of Object.keys(d.whenDenied ?? {})) {
      if (!jurisdictionIds.has(j)) issues.push({ path: `${at}.whenDenied.${j}`, message: `unknown jurisdiction "${j}"` });
    }
    issues.push(...fieldIssues(`${at}.fields`, d.fields ?? {}, purpose));
  }
  issues.push(...fieldIssues('fields', policy.fields, purpose));
  if (policy.googleConsentFlags) {
    purpose('googleConsentFlags.adUserData', policy.googleConsentFlags.adUserData);
    purpose('googleConsentFlags.adPersonalization', policy.googleConsentFlags.adPersonalization);
  }
  return issues;
}

function fieldIssues(at: string, fields: Policy['fields'], purpose: (path: string, id: string) => void): PolicyIssue[] {
  const issues: PolicyIssue[] = [];
  for (const [path, rule] of Object.entries(fields)) {
    for (const form of ['needs', 'unlessDenied', 'requires'] as const) {
      rule[form]?.purposes?.forEach((p, k) => purpose(`${at}.${path}.${form}.purposes[${k}]`, p));
    }
    if (rule.requires && (rule.needs || rule.unlessDenied)) {
      issues.push({ path: `${at}.${path}.requires`, message: 'the deprecated "requires" cannot be combined with "needs" / "unlessDenied": rewrite it as "unlessDenied"' });
    }
    if (rule.action === 'generalize' && path !== 'context.ip') issues.push({ path: `${at}.${path}.action`, message: 'generalize applies to context.ip only' });
    if (rule.action === 'strip-query' && !URL_FIELDS.includes(path)) issues.push({ path: `${at}.${path}.action`, message: 'strip-query applies to URL fields only' });
    if (rule.action !== 'generalize' && (rule.ipv4Prefix !== undefined || rule.ipv6Prefix !== undefined)) issues.push({ path: `${at}.${path}`, message: 'ipv4Prefix/ipv6Prefix need action generalize' });
  }
  return issues;
}
