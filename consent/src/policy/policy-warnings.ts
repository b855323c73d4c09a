import type { Policy } from './policy-schema.ts';
import { DEFAULT_GOOGLE_FLAG_PURPOSE } from './policy-schema.ts';
import type { PolicyIssue } from './cross-reference.ts';

/**
 * What is valid but deserves the author's attention: deprecated forms that still load with their
 * old meaning, and choices that silently make Google's consent flags DENIED. Returned by
 * `parsePolicy` and shown by the admin PUT and simulate answers.
 * @example policyWarnings(policy) // [{ path: 'destinations.google_ads.fields.user.email.requires', message: '"requires" is deprecated …' }]
 */
export function policyWarnings(policy: Policy): PolicyIssue[] {
  const warnings: PolicyIssue[] = [];
  const scan = (at: string, fields: Policy['fields']) => {
    for (const [path, rule] of Object.entries(fields)) {
      if (!rule.requires) continue;
      warnings.push({
        path: `${at}.${path}.requires`,
        message:
          '"requires" is deprecated: it is read with its old meaning, "unlessDenied" (a Consent Mode type the page never set counts as not refused). ' +
          'Rename it to "unlessDenied" to keep that meaning, or use "needs" for an affirmative grant.',
      });
    }
  };
  scan('fields', policy.fields);
  for (const [key, destination] of Object.entries(policy.destinations)) scan(`destinations.${key}.fields`, destination.fields ?? {});
  if (!policy.googleConsentFlags && !policy.purposes[DEFAULT_GOOGLE_FLAG_PURPOSE]) {
    warnings.push({
      path: 'googleConsentFlags',
      message: `no "googleConsentFlags" and no "${DEFAULT_GOOGLE_FLAG_PURPOSE}" purpose: ad_user_data and ad_personalization are forwarded to Google as DENIED`,
    });
  }
  return warnings;
}
