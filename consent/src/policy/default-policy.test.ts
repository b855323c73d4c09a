import { describe, expect, it } from 'vitest';
import defaultPolicy from '../../policies/default.json' with { type: 'json' };
import { parsePolicy } from './parse-policy.ts';
import { evaluateConsent } from '../evaluate/evaluate-consent.ts';
import { decodeSignals } from '../signals/decode-signals.ts';

describe('the built-in default policy (consent/policies/default.json)', () => {
  const parsed = parsePolicy(defaultPolicy);
  it('is valid', () => {
    expect(parsed.ok).toBe(true);
  });
  const policy = parsed.ok ? parsed.policy : (undefined as never);
  const run = (location: { country?: string; region?: string }, consent?: object, secGpc = false) =>
    evaluateConsent({ policy, policyVersion: 'default', signals: decodeSignals(consent as never, secGpc), location, destinations: ['meta', 'ga4'] });

  it('EEA/UK/CH: ad destinations need a grant; a Consent Mode grant is one', () => {
    for (const country of ['DE', 'GB', 'CH']) {
      expect(run({ country }).destinations.meta!.decision).toBe('deny');
      expect(run({ country }, { consentMode: { ad_storage: 'granted', ad_user_data: 'granted' } }).destinations.meta!.decision).not.toBe('deny');
    }
  });
  it('US states honour GPC; elsewhere is allowed, with the IP generalized', () => {
    expect(run({ country: 'US', region: 'CA' }, undefined, true).destinations.meta!.decision).toBe('deny');
    expect(run({ country: 'US', region: 'CA' }).destinations.meta!.decision).not.toBe('deny');
    const br = run({ country: 'BR' }).destinations.meta!;
    expect(br.decision).not.toBe('deny');
    expect(JSON.stringify(br.transforms)).toContain('context.ip');
  });
  it('the warehouse (sources/R2 lake) is measurement: in the EEA it needs an analytics grant, elsewhere it is allowed', () => {
    const lake = (location: { country?: string }, consent?: object) =>
      evaluateConsent({ policy, policyVersion: 'default', signals: decodeSignals(consent as never, false), location, destinations: ['warehouse'] }).destinations.warehouse!.decision;
    expect(lake({ country: 'DE' })).toBe('deny');
    expect(lake({ country: 'DE' }, { consentMode: { analytics_storage: 'granted' } })).not.toBe('deny');
    expect(lake({ country: 'BR' })).not.toBe('deny');
  });
});
