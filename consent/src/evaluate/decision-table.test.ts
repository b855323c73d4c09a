import { describe, expect, it } from 'vitest';
import { ConsentSignals, Event } from '@sluice/protocol';
import { evaluateConsent } from './evaluate-consent.ts';
import { applyFieldTransforms } from './apply-field-transforms.ts';
import { decodeSignals } from '../signals/decode-signals.ts';
import { parsePolicy } from '../policy/parse-policy.ts';
import type { Policy } from '../policy/policy-schema.ts';
import { Gvl } from '../tcf/gvl.ts';
import { DECISION_TABLE, expectation, finalActions, rawSignals, tableEvent, tablePolicy, type DecisionRow } from '../testing/decision-table.ts';
import gvlJson from '../../fixtures/gvl-test.json' with { type: 'json' };

const gvl = Gvl.parse(gvlJson);
const policies = new Map<string, Policy>();
function policyFor(row: DecisionRow): Policy {
  const key = row.policy ?? 'example';
  if (!policies.has(key)) {
    const parsed = parsePolicy(tablePolicy(row.policy));
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
    policies.set(key, parsed.policy);
  }
  return policies.get(key)!;
}

/** What the gateway does: the wire schema parses the raw signals (it normalizes gppSid [-1]), then decode → evaluate. */
function evaluate(row: DecisionRow) {
  const raw = rawSignals(row.signals);
  const signals = raw === undefined ? undefined : ConsentSignals.parse(raw);
  return evaluateConsent({
    policy: policyFor(row),
    policyVersion: 'table',
    signals: decodeSignals(signals, row.secGpc === true),
    location: row.location,
    destinations: DECISION_TABLE.destinations,
    gvl,
  });
}

describe('the decision table (consent/src/evaluate/fixtures/decisions.v1.json) through the pure evaluator', () => {
  it('covers every jurisdiction of the example policy and every destination in every row', () => {
    const jurisdictions = new Set(DECISION_TABLE.rows.map((row) => evaluate(row).jurisdiction.id));
    expect([...jurisdictions].sort()).toEqual(['eea-uk', 'rest', 'us-optout']);
    for (const row of DECISION_TABLE.rows) expect(Object.keys(row.expect).sort(), row.id).toEqual([...DECISION_TABLE.destinations].sort());
    expect(new Set(DECISION_TABLE.rows.map((r) => r.id)).size).toBe(DECISION_TABLE.rows.length);
  });

  it.each(DECISION_TABLE.rows.map((row) => [row.id, row] as const))('%s', async (_id, row) => {
    const evaluation = evaluate(row);
    const event = Event.parse(tableEvent());
    for (const destination of DECISION_TABLE.destinations) {
      const want = expectation(row.expect[destination]!);
      const verdict = evaluation.destinations[destination]!;
      const at = `${row.id} → ${destination} (${verdict.receipt.rule}; flags: ${verdict.receipt.googleConsentBy.adUserData} / ${verdict.receipt.googleConsentBy.adPersonalization})`;
      expect({ decision: verdict.decision, mode: verdict.mode, adUserData: verdict.adUserData, adPersonalization: verdict.adPersonalization }, at).toEqual({
        decision: want.decision,
        mode: want.mode,
        adUserData: want.adUserData,
        adPersonalization: want.adPersonalization,
      });
      // The receipt carries the same flags the adapters get.
      expect([verdict.receipt.adUserData, verdict.receipt.adPersonalization], at).toEqual([want.adUserData, want.adPersonalization]);
      const because = row.because?.[destination];
      if (because) expect(verdict.receipt.rule, at).toContain(because);
      const flagsBecause = row.flagsBecause?.[destination];
      if (flagsBecause) expect(verdict.receipt.googleConsentBy.adUserData, at).toContain(flagsBecause);
      if (want.decision === 'deny') {
        expect(verdict.transforms, at).toEqual([]);
        continue;
      }
      const actions = finalActions(verdict.fields);
      for (const [path, action] of Object.entries(want.fields)) expect(actions[path], `${at}: ${path}`).toBe(action);
      // And what actually leaves: a dropped field is gone from the minimized event, a kept one is there.
      const minimized = await applyFieldTransforms(event, '198.51.100.23', verdict.transforms);
      for (const [path, action] of Object.entries(want.fields)) {
        const [, key] = path.split('.') as [string, 'email' | 'phone'];
        expect(minimized.event.user?.[key] !== undefined, `${at}: ${path} present`).toBe(action !== 'drop');
      }
    }
  });
});
