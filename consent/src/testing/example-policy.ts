import example from '../../policies/example-global.json' with { type: 'json' };
import { parsePolicy } from '../policy/parse-policy.ts';
import type { Policy } from '../policy/policy-schema.ts';

/** Test-only: the shipped example policy, validated. */
export function examplePolicy(): Policy {
  const result = parsePolicy(structuredClone(example));
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.policy;
}

/** Test-only: a fresh mutable copy of the example document. */
export function exampleDocument(): Record<string, any> {
  return structuredClone(example) as Record<string, any>;
}
