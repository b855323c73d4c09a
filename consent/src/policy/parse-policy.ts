import type { z } from 'zod';
import { PolicyShape, type Policy } from './policy-schema.ts';
import { crossReference, type PolicyIssue } from './cross-reference.ts';
import { policyWarnings } from './policy-warnings.ts';

/** `warnings`: valid but deprecated or surprising parts (see `policyWarnings`); never block the upload. */
export type PolicyResult = { ok: true; policy: Policy; warnings: PolicyIssue[] } | { ok: false; issues: PolicyIssue[] };

/**
 * Validates a policy document (already parsed from JSON): the zod schema, then cross-references.
 * Every issue names its path; an accepted policy also carries its deprecation warnings.
 * @example
 * const r = parsePolicy(JSON.parse(text));
 * if (!r.ok) r.issues // [{ path: 'jurisdictions[0].noSignal.then', message: '...' }]
 * else r.warnings // [{ path: 'destinations.google_ads.fields.user.email.requires', message: '"requires" is deprecated …' }]
 */
export function parsePolicy(input: unknown): PolicyResult {
  const parsed = PolicyShape.safeParse(input);
  if (!parsed.success) return { ok: false, issues: zodIssues(parsed.error) };
  const issues = crossReference(parsed.data);
  return issues.length > 0 ? { ok: false, issues } : { ok: true, policy: parsed.data, warnings: policyWarnings(parsed.data) };
}

/** `['jurisdictions', 0, 'noSignal']` → `jurisdictions[0].noSignal`. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>((out, key) => (typeof key === 'number' ? `${out}[${key}]` : out ? `${out}.${String(key)}` : String(key)), '');
}

function zodIssues(error: z.ZodError): PolicyIssue[] {
  return error.issues.map((issue) => ({ path: formatPath(issue.path) || '(root)', message: issue.message }));
}
