import { describe, expect, it } from 'vitest';
import { GppModel } from '@iabgpp/cmpapi';
import type { ConsentSignals } from '@sluice/protocol';
import { evaluateConsent } from './evaluate-consent.ts';
import { decodeSignals } from '../signals/decode-signals.ts';
import { Gvl } from '../tcf/gvl.ts';
import { exampleDocument, examplePolicy } from '../testing/example-policy.ts';
import { parsePolicy } from '../policy/parse-policy.ts';
import { makeTcString, type TcSpec } from '../testing/make-tc-string.ts';
import gvlJson from '../../fixtures/gvl-test.json' with { type: 'json' };

const policy = examplePolicy();
const gvl = Gvl.parse(gvlJson);
const DESTINATIONS = ['meta', 'google_ads', 'ga4'];
const ALL_PURPOSES = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
const DE = { country: 'DE' };
const CA = { country: 'US', region: 'CA' };
const BR = { country: 'BR' };

function tc(spec: TcSpec = {}): string {
  // CMPs set LI transparency by default; 755 relies on LI for 2, 7, 9, 10 (fixture GVL).
  return makeTcString({ purposeConsents: ALL_PURPOSES, purposeLegitimateInterests: [2, 7, 8, 9, 10, 11], vendorConsents: [755], vendorLegitimateInterests: [755], ...spec });
}
function gpp(fields: Array<[string, string, unknown]>): string {
  const model = new GppModel();
  for (const [s, f, v] of fields) model.setFieldValue(s, f, v);
  return model.encode();
}
function run(raw: ConsentSignals | undefined, location: { country?: string; region?: string }, secGpc = false) {
  return evaluateConsent({ policy, policyVersion: 'v-test', signals: decodeSignals(raw, secGpc), location, destinations: DESTINATIONS, gvl });
}
function decisions(raw: ConsentSignals | undefined, location: { country?: string; region?: string }, secGpc = false) {
  const e = run(raw, location, secGpc);
  return Object.fromEntries(DESTINATIONS.map((d) => [d, e.destinations[d]!.decision]));
}

describe('evaluateConsent — EEA (opt-in, TCF)', () => {
  const table: Array<[string, ConsentSignals | undefined, Record<string, string>]> = [
    ['no signal → noSignal default deny', undefined, { meta: 'deny', google_ads: 'deny', ga4: 'deny' }],
    ['full TCF consent incl. vendor 755', { tcString: tc() }, { meta: 'allow', google_ads: 'allow', ga4: 'allow' }],
    ['all purposes but no vendor consent for 755', { tcString: tc({ vendorConsents: [4] }) }, { meta: 'allow', google_ads: 'deny', ga4: 'allow' }],
    ['purpose 1 refused', { tcString: tc({ purposeConsents: [2, 3, 4, 7, 8, 9] }) }, { meta: 'deny', google_ads: 'deny', ga4: 'deny' }],
    ['publisher restriction: purpose 7 not allowed for 755', { tcString: tc({ restrictions: [{ purposeId: 7, type: 0, vendorIds: [755] }] }) }, { meta: 'allow', google_ads: 'deny', ga4: 'allow' }],
    ['TC string without Disclosed Vendors (invalid under 2.3)', { tcString: tc({ segments: ['core'] }) }, { meta: 'deny', google_ads: 'deny', ga4: 'deny' }],
    ['malformed TC string', { tcString: 'CPXx!!' }, { meta: 'deny', google_ads: 'deny', ga4: 'deny' }],
    ['TCF consent but Consent Mode ad_user_data denied', { tcString: tc(), consentMode: { ad_storage: 'granted', ad_user_data: 'denied', analytics_storage: 'granted' } }, { meta: 'deny', google_ads: 'deny', ga4: 'allow' }],
    ['GPC alone (no legal effect mapped in the EEA) still no consent', { gpc: true }, { meta: 'deny', google_ads: 'deny', ga4: 'deny' }],
  ];
  it.each(table)('%s', (_name, raw, expected) => {
    expect(decisions(raw, DE)).toEqual(expected);
  });

  it('does not count consent where the vendor declared LI and the user objected to it', () => {
    expect(decisions({ tcString: tc({ purposeLegitimateInterests: [], vendorLegitimateInterests: [] }) }, DE).google_ads).toBe('deny');
  });

  it('counts legitimate interest for purposes 2 and 7 but never for 3 (TCF 2.2)', () => {
    const li = tc({ purposeConsents: [1, 3, 4, 8, 9], purposeLegitimateInterests: [2, 7], vendorConsents: [755], vendorLegitimateInterests: [755] });
    expect(decisions({ tcString: li }, DE)).toMatchObject({ google_ads: 'allow' });
    // Purpose 3 only under LI (bit patched in by hand is ignored) → advertising denied.
    const noP3 = tc({ purposeConsents: [1, 4, 8, 9], purposeLegitimateInterests: [2, 7] });
    const e = run({ tcString: noP3 }, DE);
    expect(e.destinations.google_ads!.decision).toBe('deny');
    expect(e.destinations.google_ads!.receipt.rule).toContain('tcf purpose 3 not consented');
  });

  it('switches the legal basis of a flexible purpose with publisher restrictions (755 declares 7 as flexible LI)', () => {
    const objectsToLi7 = { purposeLegitimateInterests: [2, 8, 9, 10, 11] };
    // Default basis for 7 is LI: consent for 7 does not help when the user objected to LI.
    expect(decisions({ tcString: tc(objectsToLi7) }, DE).google_ads).toBe('deny');
    // Require consent for 7: now the consent bit decides.
    const requireConsent = { restrictions: [{ purposeId: 7, type: 1 as const, vendorIds: [755] }] };
    expect(decisions({ tcString: tc({ ...objectsToLi7, ...requireConsent }) }, DE).google_ads).toBe('allow');
    // Require LI for 7 with the LI signal present → allowed; 3 can never be switched to LI.
    const requireLi = { restrictions: [{ purposeId: 7, type: 2 as const, vendorIds: [755] }] };
    expect(decisions({ tcString: tc(requireLi) }, DE).google_ads).toBe('allow');
    expect(decisions({ tcString: tc({ ...objectsToLi7, ...requireLi }) }, DE).google_ads).toBe('deny');
  });

  it('denies a TCF vendor destination when no GVL is configured, and says so', () => {
    const e = evaluateConsent({ policy, policyVersion: 'v', signals: decodeSignals({ tcString: tc() }, false), location: DE, destinations: ['google_ads'] });
    expect(e.destinations.google_ads!.decision).toBe('deny');
    expect(e.destinations.google_ads!.receipt.rule).toContain('no Global Vendor List');
  });

  it('reads the TC string from a GPP tcfeuv2 section when no tcString is sent', () => {
    const model = new GppModel();
    model.decodeSection('tcfeuv2', tc());
    expect(decisions({ gppString: model.encode() }, DE)).toEqual({ meta: 'allow', google_ads: 'allow', ga4: 'allow' });
  });

  it('writes a receipt with the policy version, signals and deciding rule, and no raw strings', () => {
    const tcString = tc({ vendorConsents: [4] });
    const receipt = run({ tcString }, DE).destinations.google_ads!.receipt;
    expect(receipt).toMatchObject({
      policyVersion: 'v-test',
      jurisdiction: { id: 'eea-uk', model: 'opt-in', country: 'DE' },
      destination: 'google_ads',
      decision: 'deny',
      gvlVersion: 150,
      signals: { tcf: { source: 'tcString', decoded: true, valid: true, cmpId: 10 }, gpc: { on: false } },
    });
    expect(receipt.rule).toBe('destinations.google_ads.tcfVendorId 755: no consent for vendor 755');
    expect(JSON.stringify(receipt)).not.toContain(tcString.slice(0, 20));
  });
});

describe('evaluateConsent — US opt-out states (GPP + GPC)', () => {
  const optedOut = { meta: 'limited', google_ads: 'deny', ga4: 'allow' };
  const table: Array<[string, ConsentSignals | undefined, boolean, Record<string, string>]> = [
    ['no signal → allow', undefined, false, { meta: 'allow', google_ads: 'allow', ga4: 'allow' }],
    ['Sec-GPC header → Meta LDU, Google Ads dropped, analytics kept', undefined, true, optedOut],
    ['navigator.globalPrivacyControl → same', { gpc: true }, false, optedOut],
    ['usnat SaleOptOut = 1 (opted out)', { gppString: gpp([['usnat', 'SaleOptOut', 1]]) }, false, optedOut],
    ['usnat SaleOptOut = 2 (did not opt out)', { gppString: gpp([['usnat', 'SaleOptOut', 2], ['usnat', 'TargetedAdvertisingOptOut', 2]]) }, false, { meta: 'allow', google_ads: 'allow', ga4: 'allow' }],
    ['usca SharingOptOut = 1', { gppString: gpp([['usca', 'SharingOptOut', 1]]) }, false, optedOut],
    ['usnat GPC sub-section Gpc = true', { gppString: gpp([['usnat', 'SaleOptOut', 2], ['usnat', 'GpcSegmentIncluded', true], ['usnat', 'Gpc', true]]) }, false, optedOut],
    ['GPP says no opt-out but Sec-GPC: 1 — the header wins', { gppString: gpp([['usnat', 'SaleOptOut', 2]]) }, true, optedOut],
    ['uspv1 1YYN', { gppString: gpp([['uspv1', 'Notice', 'Y'], ['uspv1', 'OptOutSale', 'Y']]) }, false, optedOut],
    ['undecodable GPP string', { gppString: 'DBABLA~####' }, false, optedOut],
  ];
  it.each(table)('%s', (_name, raw, secGpc, expected) => {
    expect(decisions(raw, CA, secGpc)).toEqual(expected);
  });

  it('only counts GPP sections the CMP lists as applicable', () => {
    const both = gpp([['usnat', 'SaleOptOut', 2], ['usca', 'SaleOptOut', 1]]);
    expect(decisions({ gppString: both, gppSid: [7] }, CA).meta).toBe('allow');
    expect(decisions({ gppString: both, gppSid: [8] }, CA).meta).toBe('limited');
  });

  it('sends Meta in LDU with Google consent denied and names the rule', () => {
    const verdict = run(undefined, CA, true).destinations.meta!;
    expect(verdict).toMatchObject({ mode: 'limited', adUserData: 'denied', adPersonalization: 'denied' });
    expect(verdict.receipt.rule).toBe('destinations.meta.requires.all: advertising denied by gpc (header) → destinations.meta.whenDenied.us-optout: limited');
  });

  it('matches regions given as ISO 3166-2 or as the bare subdivision code, and unlisted states fall to the default', () => {
    expect(run(undefined, { country: 'US', region: 'US-CO' }).jurisdiction.id).toBe('us-optout');
    expect(run(undefined, { country: 'US', region: 'CO' }).jurisdiction.id).toBe('us-optout');
    expect(run(undefined, { country: 'US', region: 'NY' }).jurisdiction.id).toBe('rest');
  });
});

describe('evaluateConsent — rest of world (notice)', () => {
  it('allows with no signal, and honours an explicit Consent Mode denial', () => {
    expect(decisions(undefined, BR)).toEqual({ meta: 'allow', google_ads: 'allow', ga4: 'allow' });
    expect(decisions({ consentMode: { ad_storage: 'denied', analytics_storage: 'granted' } }, BR)).toEqual({ meta: 'deny', google_ads: 'deny', ga4: 'allow' });
  });

  it('forwards ad_user_data denied to Google and drops user data for it, while the event still goes', () => {
    const verdict = run({ consentMode: { ad_storage: 'granted', ad_user_data: 'denied', ad_personalization: 'granted' } }, BR).destinations.google_ads!;
    expect(verdict).toMatchObject({ decision: 'allow', adUserData: 'denied', adPersonalization: 'granted' });
    expect(verdict.transforms).toEqual(expect.arrayContaining([
      { path: 'user.email', action: 'drop', rule: 'destinations.google_ads.fields.user.email.else' },
      { path: 'user.phone', action: 'drop', rule: 'destinations.google_ads.fields.user.phone.else' },
    ]));
  });

  it('denies destinations the policy does not name', () => {
    const e = evaluateConsent({ policy, policyVersion: 'v', signals: decodeSignals(undefined, false), location: BR, destinations: ['tiktok'] });
    expect(e.destinations.tiktok!.decision).toBe('deny');
    expect(e.destinations.tiktok!.receipt.rule).toContain('not named in the policy');
  });

  it('is pure: the same input gives the same output', () => {
    expect(run({ tcString: tc() }, DE)).toEqual(run({ tcString: tc() }, DE));
  });
});

describe("evaluateConsent — Google's forwarded consent flags (issue 16)", () => {
  it('follows the purposes googleConsentFlags names, and says why in the receipt', () => {
    const doc = exampleDocument();
    doc.googleConsentFlags = { adUserData: 'advertising', adPersonalization: 'personalization' };
    const parsed = parsePolicy(doc);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
    // Everything but the personalization purposes 5, 6 (11 is LI-able and set): ad_personalization follows "personalization".
    const raw = { tcString: tc({ purposeConsents: [1, 2, 3, 4, 7, 8, 9, 10, 11] }) };
    const e = evaluateConsent({ policy: parsed.policy, policyVersion: 'v', signals: decodeSignals(raw, false), location: DE, destinations: ['ga4'], gvl });
    const ga4 = e.destinations.ga4!;
    expect([ga4.adUserData, ga4.adPersonalization]).toEqual(['granted', 'denied']);
    expect(ga4.receipt.googleConsentBy.adPersonalization).toBe('personalization denied by tcf purpose 5 not consented');
    expect(Object.keys(ga4.receipt.purposes).sort()).toEqual(['advertising', 'measurement', 'personalization']);
  });

  it('can require an explicit ad_personalization grant in the EEA by giving the flag its own purpose', () => {
    const doc = exampleDocument();
    doc.purposes['personalized-ads'] = { description: 'Remarketing and personalised ads', tcf: { purposes: [1, 3, 4] } };
    doc.jurisdictions[0].signals.gcm['personalized-ads'] = ['ad_personalization'];
    doc.googleConsentFlags = { adUserData: 'advertising', adPersonalization: 'personalized-ads' };
    const parsed = parsePolicy(doc);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
    const flags = (consentMode: Record<string, string>) => {
      const ga4 = evaluateConsent({ policy: parsed.policy, policyVersion: 'v', signals: decodeSignals({ consentMode } as ConsentSignals, false), location: DE, destinations: ['ga4'], gvl }).destinations.ga4!;
      return [ga4.adUserData, ga4.adPersonalization];
    };
    const granted = { ad_storage: 'granted', ad_user_data: 'granted', analytics_storage: 'granted' };
    expect(flags(granted)).toEqual(['granted', 'denied']);
    expect(flags({ ...granted, ad_personalization: 'granted' })).toEqual(['granted', 'granted']);
  });

  it('forwards DENIED when the policy has no purpose for the flags to follow', () => {
    const doc = JSON.parse(JSON.stringify(exampleDocument()).replaceAll('"advertising"', '"ads"'));
    delete doc.googleConsentFlags;
    const parsed = parsePolicy(doc);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
    const e = evaluateConsent({ policy: parsed.policy, policyVersion: 'v', signals: decodeSignals(undefined, false), location: BR, destinations: ['ga4'] });
    expect(e.destinations.ga4).toMatchObject({ decision: 'allow', adUserData: 'denied', adPersonalization: 'denied' });
    expect(e.destinations.ga4!.receipt.googleConsentBy.adUserData).toBe('no purpose "advertising" in the policy');
  });

  it('cannot check Google as a vendor without a GVL: the flags are DENIED where TCF applies', () => {
    const e = evaluateConsent({ policy, policyVersion: 'v', signals: decodeSignals({ tcString: tc() }, false), location: DE, destinations: ['ga4'] });
    expect(e.destinations.ga4).toMatchObject({ decision: 'allow', adUserData: 'denied', adPersonalization: 'denied' });
    expect(e.destinations.ga4!.receipt.googleConsentBy.adUserData).toContain('no Global Vendor List');
  });

  it('prefers a sent tcString over a GPP tcfeuv2 section', () => {
    const model = new GppModel();
    model.decodeSection('tcfeuv2', tc());
    const refused = tc({ purposeConsents: [], purposeLegitimateInterests: [], vendorConsents: [], vendorLegitimateInterests: [] });
    expect(decisions({ tcString: refused, gppString: model.encode() }, DE)).toEqual({ meta: 'deny', google_ads: 'deny', ga4: 'deny' });
    expect(run({ gppString: model.encode() }, DE).destinations.ga4!.receipt.signals.tcf).toMatchObject({ source: 'gpp', valid: true });
  });
});

describe('evaluateConsent — field rules name their condition (needs / unlessDenied)', () => {
  function withEmailRule(rule: Record<string, unknown>) {
    const doc = exampleDocument();
    doc.destinations.google_ads.fields['user.email'] = { action: 'keep', else: 'drop', ...rule };
    const parsed = parsePolicy(doc);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
    return (raw: ConsentSignals | undefined) =>
      evaluateConsent({ policy: parsed.policy, policyVersion: 'v', signals: decodeSignals(raw, false), location: BR, destinations: ['google_ads'] }).destinations.google_ads!.fields.find((f) => f.path === 'user.email');
  }

  it('needs: a Consent Mode type the page never set is not a grant', () => {
    const email = withEmailRule({ needs: { gcm: ['ad_user_data'] } });
    expect(email(undefined)).toEqual({ path: 'user.email', action: 'drop', rule: 'destinations.google_ads.fields.user.email.else', reason: 'needs.gcm ad_user_data not granted (not set)' });
    expect(email({ consentMode: { ad_user_data: 'granted' } })).toEqual({ path: 'user.email', action: 'keep', rule: 'destinations.google_ads.fields.user.email', reason: 'needs met' });
  });

  it('unlessDenied: only an explicit refusal drops; a denied purpose always does', () => {
    const email = withEmailRule({ unlessDenied: { purposes: ['advertising'], gcm: ['ad_user_data'] } });
    expect(email(undefined)).toMatchObject({ action: 'keep', reason: 'unlessDenied met' });
    expect(email({ consentMode: { ad_user_data: 'denied' } })).toMatchObject({ action: 'drop', reason: 'unlessDenied.gcm ad_user_data denied' });
    const needsPurpose = withEmailRule({ needs: { purposes: ['measurement'] } });
    expect(needsPurpose({ consentMode: { analytics_storage: 'denied' } })).toMatchObject({ action: 'drop', reason: 'needs.purposes measurement denied by gcm analytics_storage=denied' });
  });

  it('the deprecated requires keeps its old meaning (= unlessDenied)', () => {
    const email = withEmailRule({ requires: { gcm: ['ad_user_data'] } });
    expect(email(undefined)).toMatchObject({ action: 'keep', reason: 'requires met' });
    expect(email({ consentMode: { ad_user_data: 'denied' } })).toMatchObject({ action: 'drop', reason: 'requires.gcm ad_user_data denied' });
  });
});
