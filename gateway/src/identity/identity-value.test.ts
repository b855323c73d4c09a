import { describe, expect, it } from 'vitest';
import fixtures from './fixtures/normalization.v1.json';
import { IDENTITY_PROFILES, type IdentityField, type IdentityProfileName } from './identity-profile.ts';
import { identityValue, normalizedValue } from './identity-value.ts';
import { isSha256Hex, sha256Hex } from './sha256.ts';

interface Case {
  profile: IdentityProfileName;
  field: IdentityField;
  input: string;
  expected: string | null;
  sha256?: string;
  note?: string;
}

const cases = fixtures.cases as Case[];

describe(`identity normalization conformance v${fixtures.version}`, () => {
  it('has cases for every profile', () => {
    expect(new Set(cases.map((c) => c.profile))).toEqual(new Set(Object.keys(IDENTITY_PROFILES)));
  });

  it.each(cases.map((c) => [`${c.profile} ${c.field} ${JSON.stringify(c.input)}`, c] as const))('%s', async (_, c) => {
    const profile = IDENTITY_PROFILES[c.profile];
    const sent = await identityValue(profile, c.field, c.input);
    if (!isSha256Hex(c.input.trim())) expect(normalizedValue(profile, c.field, c.input) ?? null).toBe(c.expected);
    if (c.sha256) expect(sent).toBe(c.sha256);
    else if (c.expected === null) expect(sent).toBeUndefined();
    else expect(sent).toBe(profile[c.field]!.hash ? await sha256Hex(c.expected) : c.expected);
  });

  it('never hashes a digest twice, whatever the field', async () => {
    const digest = await sha256Hex('jane@example.com');
    for (const profile of Object.values(IDENTITY_PROFILES)) {
      for (const [field, rule] of Object.entries(profile)) {
        const sent = await identityValue(profile, field as IdentityField, ` ${digest.toUpperCase()} `);
        expect(sent).toBe(rule.hash ? digest : undefined);
      }
    }
  });
});
