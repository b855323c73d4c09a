import { describe, expect, it } from 'vitest';
import fixtures from './fixtures/normalization.v2.json';
import { createHashMemo } from './hash-memo.ts';
import { IDENTITY_PROFILES, type IdentityField, type IdentityProfileName } from './identity-profile.ts';
import { identityOutcome, identityValue, normalizedValue } from './identity-value.ts';
import { isSha256Hex, sha256Hex } from './sha256.ts';

interface Case {
  profile: IdentityProfileName;
  field: IdentityField;
  input: string;
  regions?: string[];
  expected: string | null;
  sha256?: string;
  note?: string;
}

const cases = fixtures.cases as Case[];

/** The digest as workerd's own SHA-256 computes it: the oracle for our synchronous one. */
async function subtleSha256(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  return [...digest].map((b) => b.toString(16).padStart(2, '0')).join('');
}

describe(`identity normalization conformance v${fixtures.version}`, () => {
  it('has cases for every profile', () => {
    expect(new Set(cases.map((c) => c.profile))).toEqual(new Set(Object.keys(IDENTITY_PROFILES)));
  });

  it('covers phones of every locale for every vendor, read in that locale', () => {
    for (const profile of ['meta', 'google', 'tiktok']) {
      const regions = new Set(cases.filter((c) => c.profile === profile && c.field === 'phone' && c.expected).flatMap((c) => c.regions ?? []));
      for (const locale of ['US', 'GB', 'DE', 'FR', 'IT', 'ES', 'NL', 'IN', 'BR', 'JP']) expect(regions, `${profile} ${locale}`).toContain(locale);
    }
  });

  it.each(cases.map((c) => [`${c.profile} ${c.field} ${JSON.stringify(c.input)}${c.regions ? ` in ${c.regions.join(',') || 'no region'}` : ''}`, c] as const))('%s', async (_, c) => {
    const profile = IDENTITY_PROFILES[c.profile];
    const context = c.regions ? { regions: c.regions } : {};
    const sent = await identityValue(profile, c.field, c.input, context);
    if (!isSha256Hex(c.input.trim())) expect(normalizedValue(profile, c.field, c.input, context) ?? null).toBe(c.expected);
    if (c.sha256) expect(sent).toBe(c.sha256);
    else if (c.expected === null) expect(sent).toBeUndefined();
    else expect(sent).toBe(profile[c.field]!.hash ? await subtleSha256(c.expected) : c.expected);
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

  it('tells an unusable phone (invalid) from a missing one (absent)', () => {
    const meta = IDENTITY_PROFILES.meta;
    expect(identityOutcome(meta, 'phone', '07911 123456')).toEqual({ kind: 'invalid' });
    expect(identityOutcome(meta, 'phone', undefined)).toEqual({ kind: 'absent' });
    expect(identityOutcome(meta, 'phone', '  ')).toEqual({ kind: 'absent' });
    expect(identityOutcome(IDENTITY_PROFILES.tiktok, 'city', 'Paris')).toEqual({ kind: 'absent' });
    expect(identityOutcome(meta, 'phone', '07911 123456', { regions: ['GB'] }).kind).toBe('value');
  });
});

describe('hashing', () => {
  it('the synchronous SHA-256 equals crypto.subtle on every fixture value and on block-boundary lengths', async () => {
    const texts = [...new Set(cases.flatMap((c) => [c.input, c.expected ?? '']))];
    for (let n = 0; n <= 130; n++) texts.push('a'.repeat(n), 'é'.repeat(n), '日'.repeat(n));
    for (const text of texts) expect(await sha256Hex(text), JSON.stringify(text)).toBe(await subtleSha256(text));
  });

  it('a memo hashes each distinct normalized value once per request, and returns the same digests', () => {
    let calls = 0;
    const memo = createHashMemo((text) => {
      calls++;
      return `h(${text})`;
    });
    const meta = IDENTITY_PROFILES.meta;
    const google = IDENTITY_PROFILES.google;
    const options = { memo, regions: ['GB'] };
    for (let event = 0; event < 50; event++) {
      identityOutcome(meta, 'email', ' Jane@Example.com', options);
      identityOutcome(google, 'email', 'jane@example.com ', options);
      identityOutcome(meta, 'phone', '07911 123456', options);
      identityOutcome(google, 'phone', '+44 7911 123456', options);
    }
    // email: one text for both vendors; phone: Meta digits and Google's +E.164 are two texts.
    expect(calls).toBe(3);
    expect(memo.size).toBe(3);
    // The number is read once per distinct text and region list, then reused for every profile.
    expect(memo.readPhone('07911 123456', ['GB'])).toBe(memo.readPhone('07911 123456', ['GB']));
    expect(memo.readPhone('07911 123456', [])).toEqual({ ok: false });
    expect(identityOutcome(meta, 'email', 'jane@example.com', options)).toEqual({ kind: 'value', value: 'h(jane@example.com)' });
  });

  it('a memo gives exactly the digests hashing without one gives', async () => {
    const memo = createHashMemo();
    for (const c of cases.filter((c) => c.expected !== null)) {
      const profile = IDENTITY_PROFILES[c.profile];
      const options = c.regions ? { regions: c.regions } : {};
      expect(await identityValue(profile, c.field, c.input, { ...options, memo })).toBe(await identityValue(profile, c.field, c.input, options));
    }
  });
});

describe('identity outcomes memoized per request (issue 14)', () => {
  it('one memo across every fixture, twice over and interleaved with other profiles, answers exactly what no memo answers', () => {
    const memo = createHashMemo();
    const shuffled = [...cases, ...[...cases].reverse()];
    for (const c of shuffled) {
      const profile = IDENTITY_PROFILES[c.profile];
      const regions = c.regions ? { regions: c.regions } : {};
      expect(identityOutcome(profile, c.field, c.input, { ...regions, memo }), `${c.profile} ${c.field} ${c.input}`).toEqual(identityOutcome(profile, c.field, c.input, regions));
    }
  });

  it('keeps the memo per request: a fresh memo recomputes, and phones still note issues per item', () => {
    const profile = IDENTITY_PROFILES.meta;
    const a = createHashMemo();
    const b = createHashMemo();
    expect(identityOutcome(profile, 'email', ' Jane@Example.com ', { memo: a })).toEqual(identityOutcome(profile, 'email', ' Jane@Example.com ', { memo: b }));
    expect(b.size).toBe(1);
    // A phone's outcome is memoized per regions too: each item's context still decides its reading,
    // in whichever order items come.
    const phone = '030 1234567';
    for (const order of [[['DE'], [], ['US'], ['DE']], [[], ['DE'], ['US'], []]]) {
      const memo = createHashMemo();
      for (const regions of order) expect(identityOutcome(profile, 'phone', phone, { memo, regions }), `${regions}`).toEqual(identityOutcome(profile, 'phone', phone, { regions }));
    }
    expect(identityOutcome(profile, 'phone', phone, { memo: a, regions: ['DE'] }).kind).toBe('value');
    expect(identityOutcome(profile, 'phone', phone, { memo: a, regions: [] }).kind).toBe('invalid');
  });
});
