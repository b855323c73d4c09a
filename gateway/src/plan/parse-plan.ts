import { formatPath } from '@sluice/consent';
import { PlanShape, type TrackingPlan } from './plan-schema.ts';
import { unsafePattern } from './safe-pattern.ts';

export interface PlanIssue {
  path: string;
  message: string;
}
export type PlanResult = { ok: true; plan: TrackingPlan } | { ok: false; issues: PlanIssue[] };

/**
 * Validates a tracking plan document (parsed JSON or YAML): the zod schema, then the checks zod
 * cannot make (patterns compile and are in the safe subset of safe-pattern.ts, retention classes exist). Every issue names its path.
 * @example
 * const r = parsePlan({ version: 1, events: { Purchase: { properties: { value: { type: 'numbr' } } } } });
 * if (!r.ok) r.issues[0].path // 'events.Purchase.properties.value.type'
 */
export function parsePlan(input: unknown): PlanResult {
  const parsed = PlanShape.safeParse(input);
  if (!parsed.success) return { ok: false, issues: parsed.error.issues.map((i) => ({ path: formatPath(i.path) || '(root)', message: i.message })) };
  const issues: PlanIssue[] = [];
  for (const [name, event] of Object.entries(parsed.data.events)) {
    if (event.retention && !parsed.data.retentionClasses?.[event.retention]) {
      issues.push({ path: `events.${name}.retention`, message: `retention class "${event.retention}" is not in retentionClasses` });
    }
    for (const [prop, rule] of Object.entries(event.properties)) {
      if (rule.pattern === undefined) continue;
      const path = `events.${name}.properties.${prop}.pattern`;
      try {
        new RegExp(rule.pattern, 'u');
      } catch {
        issues.push({ path, message: 'not a valid regular expression' });
        continue;
      }
      // Run on every event: only the subset without catastrophic backtracking (safe-pattern.ts).
      const unsafe = unsafePattern(rule.pattern);
      if (unsafe) issues.push({ path, message: `unsafe pattern: ${unsafe}` });
    }
  }
  return issues.length ? { ok: false, issues } : { ok: true, plan: parsed.data };
}
