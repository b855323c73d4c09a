import { describe, expect, it } from 'vitest';
import { parsePolicy } from './parse-policy.ts';
import { policyHash } from './policy-hash.ts';
import { exampleDocument, examplePolicy } from '../testing/example-policy.ts';

function issuesOf(doc: unknown) {
  const result = parsePolicy(doc);
  if (result.ok) throw new Error('expected the policy to be rejected');
  return result.issues;
}

describe('parsePolicy', () => {
  it('accepts the shipped example policy (EEA/TCF, US states GPP+GPC, rest of world) without warnings', () => {
    expect(parsePolicy(exampleDocument())).toMatchObject({ ok: true, warnings: [] });
  });

  it('still loads the deprecated field-rule "requires", with its old meaning and a deprecation warning per rule', () => {
    const doc = exampleDocument();
    doc.destinations.google_ads.fields['user.email'] = { action: 'keep', requires: { purposes: ['advertising'], gcm: ['ad_user_data'] }, else: 'drop' };
    doc.fields['user.phone'] = { action: 'hash', requires: { gcm: ['ad_user_data'] } };
    const result = parsePolicy(doc);
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    expect(result.warnings.map((w) => w.path)).toEqual(['fields.user.phone.requires', 'destinations.google_ads.fields.user.email.requires']);
    expect(result.warnings[0]!.message).toMatch(/"requires" is deprecated.*"unlessDenied".*"needs" for an affirmative grant/);
  });

  it('rejects the deprecated "requires" mixed with the new forms, and empty conditions', () => {
    const doc = exampleDocument();
    doc.destinations.google_ads.fields['user.email'].requires = { gcm: ['ad_user_data'] };
    doc.destinations.google_ads.fields['user.phone'].needs = {};
    const paths = issuesOf(doc).map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['destinations.google_ads.fields.user.phone.needs']));
    const mixed = exampleDocument();
    mixed.destinations.google_ads.fields['user.email'].requires = { gcm: ['ad_user_data'] };
    expect(issuesOf(mixed)).toEqual([{ path: 'destinations.google_ads.fields.user.email.requires', message: expect.stringContaining('cannot be combined') }]);
  });

  it('warns when Google\'s consent flags have no purpose to follow (they are then always DENIED)', () => {
    const doc = exampleDocument();
    delete doc.googleConsentFlags;
    expect(parsePolicy(doc)).toMatchObject({ ok: true, warnings: [] }); // default: the "advertising" purpose
    doc.purposes.ads = doc.purposes.advertising;
    delete doc.purposes.advertising;
    const renamed = JSON.parse(JSON.stringify(doc).replaceAll('"advertising"', '"ads"'));
    expect(parsePolicy(renamed)).toMatchObject({ ok: true, warnings: [{ path: 'googleConsentFlags' }] });
    renamed.googleConsentFlags = { adUserData: 'ads', adPersonalization: 'ads' };
    expect(parsePolicy(renamed)).toMatchObject({ ok: true, warnings: [] });
  });

  it('names the path of schema errors', () => {
    const doc = exampleDocument();
    doc.jurisdictions[1].noSignal.then = 'maybe';
    doc.purposes.advertising.tcf.purposes.push(12);
    doc.destinations.meta.surprise = true;
    const issues = issuesOf(doc);
    const paths = issues.map((i) => i.path);
    expect(paths).toContain('jurisdictions[1].noSignal.then');
    expect(paths).toContain('purposes.advertising.tcf.purposes[5]');
    expect(paths).toContain('destinations.meta');
  });

  it('rejects an unknown purpose wherever it is named', () => {
    const doc = exampleDocument();
    doc.destinations.meta.requires.all = ['advertizing'];
    doc.jurisdictions[1].signals.gpc.optsOut = ['ads'];
    doc.destinations.google_ads.fields['user.email'].needs.purposes = ['nope'];
    doc.googleConsentFlags.adPersonalization = 'ads';
    expect(issuesOf(doc)).toEqual(expect.arrayContaining([
      { path: 'destinations.meta.requires.all[0]', message: 'unknown purpose "advertizing"' },
      { path: 'jurisdictions[1].signals.gpc.optsOut[0]', message: 'unknown purpose "ads"' },
      { path: 'destinations.google_ads.fields.user.email.needs.purposes[0]', message: 'unknown purpose "nope"' },
      { path: 'googleConsentFlags.adPersonalization', message: 'unknown purpose "ads"' },
    ]));
  });

  it('rejects an opt-in jurisdiction that defaults to allow', () => {
    const doc = exampleDocument();
    doc.jurisdictions[0].noSignal.then = 'allow';
    expect(issuesOf(doc)).toEqual([{ path: 'jurisdictions[0].noSignal.then', message: 'an opt-in jurisdiction cannot default to allow' }]);
  });

  it('requires exactly one default jurisdiction, last', () => {
    const none = exampleDocument();
    none.jurisdictions.pop();
    expect(issuesOf(none).map((i) => i.message)).toContain('exactly one jurisdiction needs match.default: true (found 0)');
    const early = exampleDocument();
    early.jurisdictions.unshift(early.jurisdictions.pop());
    expect(issuesOf(early).map((i) => i.path)).toContain('jurisdictions[0].match');
  });

  it('rejects field actions that do not fit the field and unknown jurisdictions in whenDenied', () => {
    const doc = exampleDocument();
    doc.fields['user.email'] = { action: 'generalize', ipv4Prefix: 24 };
    doc.fields['context.ip'] = { action: 'strip-query' };
    doc.destinations.meta.whenDenied = { 'us-opt-out': 'limited' };
    doc.fields['user.shoeSize'] = { action: 'drop' };
    const paths = issuesOf(doc).map((i) => i.path);
    expect(paths).toContain('fields.user.shoeSize');
    const fixed = exampleDocument();
    fixed.fields['user.email'] = { action: 'generalize', ipv4Prefix: 24 };
    fixed.fields['context.ip'] = { action: 'strip-query' };
    fixed.destinations.meta.whenDenied = { 'us-opt-out': 'limited' };
    expect(issuesOf(fixed).map((i) => i.path).sort()).toEqual(['destinations.meta.whenDenied.us-opt-out', 'fields.context.ip.action', 'fields.user.email.action']);
  });

  it('hashes the same policy to the same version whatever the key order, and a change to a new one', async () => {
    const a = examplePolicy();
    const reordered = Object.fromEntries(Object.entries(a).reverse()) as typeof a;
    expect(await policyHash(reordered)).toBe(await policyHash(a));
    const changed = examplePolicy();
    changed.jurisdictions[1]!.noSignal.waitMs = 600;
    expect(await policyHash(changed)).not.toBe(await policyHash(a));
    expect(await policyHash(a)).toMatch(/^[0-9a-f]{64}$/);
  });
});
