import { describe, expect, it } from 'vitest';
import { createConsentGate } from './consent-gate.ts';
import { policyView } from '../policy/policy-view.ts';
import { examplePolicy } from '../testing/example-policy.ts';

const policy = examplePolicy();
const eea = policyView(policy, 'v1', { country: 'DE' });
const ca = policyView(policy, 'v1', { country: 'US', region: 'CA' });
const ALL = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
const tcf = (consents: number[]) => ({ tcf: { tcString: 'CQ-test', gdprApplies: true, purposeConsents: consents, purposeLegitimateInterests: [] } });

/** A gate with a manual clock: `fire()` runs the noSignal timeout. */
function gateFor(view = eea) {
  const decisions: Array<[string, string]> = [];
  let timeout: (() => void) | undefined;
  let waited: number | undefined;
  const gate = createConsentGate<{ id: string }>({
    policyView: view,
    onDecision: (event, decision) => decisions.push([event.id, decision]),
    schedule: (run, ms) => {
      timeout = run;
      waited = ms;
      return () => (timeout = undefined);
    },
  });
  return { gate, decisions, fire: () => timeout?.(), waited: () => waited };
}

describe('createConsentGate', () => {
  it('holds events until the CMP answers, then releases them exactly once on accept', () => {
    const { gate, decisions, fire, waited } = gateFor();
    expect(waited()).toBe(2000);
    expect(gate.admit({ id: 'a' })).toBe('hold');
    expect(gate.admit({ id: 'b' })).toBe('hold');
    gate.update(tcf(ALL));
    expect(decisions).toEqual([['a', 'send'], ['b', 'send']]);
    fire(); // the timeout was cancelled; nothing happens twice
    gate.update(tcf(ALL));
    expect(decisions).toHaveLength(2);
    expect(gate.admit({ id: 'c' })).toBe('send');
  });

  it('drops held events when the CMP answer denies, and keeps dropping after a later grant for what was captured while denied', () => {
    const { gate, decisions } = gateFor();
    gate.admit({ id: 'a' });
    gate.update(tcf([]));
    expect(decisions).toEqual([['a', 'drop']]);
    expect(gate.admit({ id: 'b' })).toBe('drop');
    gate.update(tcf(ALL));
    expect(decisions).toEqual([['a', 'drop']]); // b was never stored, so nothing can release it
    expect(gate.admit({ id: 'c' })).toBe('send');
  });

  it('applies the default after waitMs when the CMP never answers (opt-in: drop)', () => {
    const { gate, decisions, fire } = gateFor();
    gate.admit({ id: 'a' });
    fire();
    expect(gate.status()).toBe('defaulted');
    expect(decisions).toEqual([['a', 'drop']]);
    gate.update(tcf(ALL)); // late answer: only later events benefit
    expect(decisions).toEqual([['a', 'drop']]);
    expect(gate.admit({ id: 'b' })).toBe('send');
  });

  it('releases on the default in an opt-out state when the CMP is silent', () => {
    const { gate, decisions, fire, waited } = gateFor(ca);
    expect(waited()).toBe(500);
    gate.admit({ id: 'a' });
    fire();
    expect(decisions).toEqual([['a', 'send']]);
  });

  it('does not treat GPC=false alone as a consent answer, but GPC=true is one', () => {
    const { gate } = gateFor(ca);
    gate.update({ gpc: false });
    expect(gate.status()).toBe('pending');
    gate.update({ gpc: true });
    expect(gate.status()).toBe('known');
    expect(gate.purposes().advertising).toBe('denied');
    // Meta still gets a limited-data-use copy in opt-out states, so the event is sent.
    expect(gate.admit({ id: 'x' })).toBe('send');
  });

  it('tells the queue which purposes were withdrawn so it can purge', () => {
    const { gate } = gateFor();
    gate.update(tcf(ALL));
    const withdrawn: string[][] = [];
    gate.onWithdraw((purposes) => withdrawn.push(purposes));
    gate.update(tcf([1, 7, 8, 9]));
    expect(withdrawn).toEqual([['advertising', 'personalization']]);
    // Measurement still open (ga4) → events still go; revoke everything → drop.
    expect(gate.admit({ id: 'q' })).toBe('send');
    gate.update(tcf([]));
    expect(withdrawn[1]).toEqual(['measurement']);
    expect(gate.admit({ id: 'q' })).toBe('drop');
  });

  it('reads GPP opt-outs with the right polarity and passes raw signals on for the gateway', () => {
    const { gate } = gateFor(ca);
    gate.update({ gpp: { gppString: 'DBABLA~x', applicableSections: [7], sections: { usnat: { SaleOptOut: 2 } } } });
    expect(gate.purposes().advertising).toBe('granted');
    gate.update({ gpp: { gppString: 'DBABLA~y', applicableSections: [7], sections: { usnat: { SaleOptOut: 1 } } } });
    expect(gate.purposes().advertising).toBe('denied');
    expect(gate.consentSignals()).toEqual({ gppString: 'DBABLA~y', gppSid: [7] });
  });

  it('sends no gppSid when the GPP CMP says no section applies ([-1])', () => {
    const { gate } = gateFor(ca);
    gate.update({ gpp: { gppString: 'DBAA', applicableSections: [-1], sections: {} } });
    expect(gate.consentSignals()).toEqual({ gppString: 'DBAA' });
  });
});
