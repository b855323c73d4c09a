import { describe, expect, it } from 'vitest';
import { evaluateConsent } from './evaluate-consent.ts';
import { decodeSignals } from '../signals/decode-signals.ts';
import { parsePolicy } from '../policy/parse-policy.ts';
import { policyView } from '../policy/policy-view.ts';
import { browserPurposes } from '../browser/browser-purposes.ts';
import { exampleDocument } from '../testing/example-policy.ts';

/** The example policy, with the EEA mapped to OneTrust-style groups instead of TCF. */
function oneTrustPolicy() {
  const doc = exampleDocument();
  doc.jurisdictions[0].signals = { cmp: { measurement: ['C0002'], advertising: ['C0004'] } };
  const parsed = parsePolicy(doc);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return parsed.policy;
}

const DE = { country: 'DE' };
const DESTINATIONS = ['meta', 'ga4'];

function decide(categories: Record<string, boolean> | undefined) {
  const result = evaluateConsent({ policy: oneTrustPolicy(), policyVersion: 'v', signals: decodeSignals(categories ? { cmpCategories: categories } : undefined, false), location: DE, destinations: DESTINATIONS });
  return Object.fromEntries(DESTINATIONS.map((d) => [d, result.destinations[d]!.decision]));
}

describe('CMP category mappings', () => {
  it('maps the CMP’s own categories to purposes per jurisdiction', () => {
    expect(decide({ C0001: true, C0002: true, C0004: true })).toEqual({ meta: 'allow', ga4: 'allow' });
    expect(decide({ C0001: true, C0002: true, C0004: false })).toEqual({ meta: 'deny', ga4: 'allow' });
    expect(decide({ C0002: false })).toEqual({ meta: 'deny', ga4: 'deny' });
    expect(decide(undefined)).toEqual({ meta: 'deny', ga4: 'deny' });
  });

  it('names the deciding category in the receipt', () => {
    const result = evaluateConsent({ policy: oneTrustPolicy(), policyVersion: 'v', signals: decodeSignals({ cmpCategories: { C0002: true, C0004: false } }, false), location: DE, destinations: DESTINATIONS });
    expect(JSON.stringify(result.destinations.meta)).toContain('cmp category C0004 denied');
  });

  it('rejects a mapping for an unknown purpose, with its path', () => {
    const doc = exampleDocument();
    doc.jurisdictions[0].signals = { cmp: { adverts: ['C0004'] } };
    const parsed = parsePolicy(doc);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.issues).toEqual(expect.arrayContaining([{ path: 'jurisdictions[0].signals.cmp.adverts', message: 'unknown purpose "adverts"' }]));
  });

  it('gives the browser gate the same reading', () => {
    const view = policyView(oneTrustPolicy(), 'v', DE);
    expect(view.read.cmp).toBe(true);
    const states = browserPurposes(view, { cmpCategories: { C0002: true, C0004: false } }, true);
    expect(states).toMatchObject({ measurement: 'granted', advertising: 'denied' });
  });
});
