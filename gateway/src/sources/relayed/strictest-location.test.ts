import { describe, expect, it } from 'vitest';
import { parsePolicy, resolveJurisdiction, type Policy } from '@sluice/consent';
import defaultDocument from '../../../../consent/policies/default.json';
import { strictestLocation } from './strictest-location.ts';

const parsed = (doc: unknown): Policy => {
  const result = parsePolicy(doc);
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.policy;
};

describe('strictestLocation', () => {
  it('places an unknown location in the default policy’s opt-in (EEA/UK/CH) jurisdiction', () => {
    const policy = parsed(defaultDocument);
    expect(resolveJurisdiction(policy, strictestLocation(policy)).jurisdiction.model).toBe('opt-in');
  });
  it('skips a stand-in that an earlier jurisdiction would capture, and falls back to opt-out, then the default', () => {
    const base = { version: 1, purposes: { advertising: {} }, destinations: {} };
    const shadowed = parsed({
      ...base,
      jurisdictions: [
        { id: 'us-wide', match: { countries: ['US'] }, model: 'notice', signals: {}, noSignal: { then: 'allow' } },
        { id: 'ca', match: { regions: ['US-CA'] }, model: 'opt-in', signals: {}, noSignal: { then: 'deny' } },
        { id: 'de', match: { countries: ['DE'] }, model: 'opt-out', signals: {}, noSignal: { then: 'allow' } },
        { id: 'rest', match: { default: true }, model: 'notice', signals: {}, noSignal: { then: 'allow' } },
      ],
    });
    // US-CA would resolve to the earlier US-wide notice rule: the opt-out DE is the strictest reachable.
    expect(resolveJurisdiction(shadowed, strictestLocation(shadowed)).jurisdiction.id).toBe('de');
    const lenient = parsed({ ...base, jurisdictions: [{ id: 'rest', match: { default: true }, model: 'notice', signals: {}, noSignal: { then: 'allow' } }] });
    expect(strictestLocation(lenient)).toEqual({});
  });
});
