import { describe, expect, it } from 'vitest';
import { FieldSequence, TCString, type TCModel } from '@iabtechlabtcf/core';
import { decodeTcString } from './decode-tc-string.ts';
import { validateTcData } from './validate-tc-data.ts';
import { CORE_OFFSETS, lcg, makeTcString, patchBits, readBits } from '../testing/make-tc-string.ts';
import cases from '../../fixtures/tcf-malformed.json' with { type: 'json' };

const GVL_IDS = [...Array.from({ length: 60 }, (_, i) => i + 1), 755];

function pick(rand: () => number, from: number[], p: number): number[] {
  return from.filter(() => rand() < p);
}

describe('decodeTcString', () => {
  it('decodes core, disclosed vendors, publisher TC and restrictions exactly as encoded', () => {
    const tc = makeTcString({
      purposeConsents: [1, 2, 3, 4, 7],
      purposeLegitimateInterests: [2, 7, 9],
      vendorConsents: [4, 8, 755],
      vendorLegitimateInterests: [1, 755],
      specialFeatureOptins: [1],
      vendorsDisclosed: [1, 4, 8, 755],
      restrictions: [{ purposeId: 7, type: 1, vendorIds: [755] }, { purposeId: 2, type: 0, vendorIds: [5, 9] }],
      publisherConsents: [1, 2],
      publisherCustomConsents: [1],
      numCustomPurposes: 2,
    });
    const decoded = decodeTcString(tc);
    expect(decoded.ok).toBe(true);
    if (!decoded.ok) return;
    const v = decoded.value;
    expect(v).toMatchObject({
      version: 2, cmpId: 10, cmpVersion: 2, isServiceSpecific: true, vendorListVersion: 150,
      purposeConsents: [1, 2, 3, 4, 7], purposeLegitimateInterests: [2, 7, 9],
      vendorConsents: [4, 8, 755], vendorLegitimateInterests: [1, 755], specialFeatureOptins: [1],
      vendorsDisclosed: [1, 4, 8, 755], segments: ['core', 'disclosedVendors', 'publisherTC'],
    });
    expect(v.policyVersion).toBeGreaterThanOrEqual(4);
    expect(v.publisherRestrictions).toEqual([
      { purposeId: 2, restrictionType: 0, vendorIds: [5, 9] },
      { purposeId: 7, restrictionType: 1, vendorIds: [755] },
    ]);
    expect(v.publisherTC).toEqual({ purposeConsents: [1, 2], purposeLegitimateInterests: [], customPurposeConsents: [1], customPurposeLegitimateInterests: [] });
    expect(validateTcData(v)).toEqual({ valid: true, reasons: [], notes: [] });
  });

  it('agrees with the official decoder on 300 generated strings, in both vendor encodings', () => {
    const rand = lcg(42);
    const encodings = { range: 0, bitfield: 0 };
    for (let n = 0; n < 300; n++) {
      // Dense contiguous sets make the encoder choose ranges; sparse random ones a bitfield.
      const dense = n % 2 === 0;
      const vendors = dense ? GVL_IDS.filter((id) => id <= 10 + (n % 50) || id === 755) : pick(rand, GVL_IDS, 0.3);
      const tc = makeTcString({
        purposeConsents: pick(rand, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 0.5),
        purposeLegitimateInterests: pick(rand, [2, 7, 8, 9, 10, 11], 0.5),
        vendorConsents: vendors,
        vendorLegitimateInterests: pick(rand, GVL_IDS, 0.2),
        specialFeatureOptins: pick(rand, [1, 2], 0.5),
        restrictions: rand() < 0.5 ? [{ purposeId: 2 + Math.floor(rand() * 9), type: Math.floor(rand() * 3) as 0 | 1 | 2, vendorIds: pick(rand, GVL_IDS, 0.1) }] : [],
        segments: rand() < 0.2 ? ['core', 'vendorsDisclosed'] : ['core', 'vendorsDisclosed', 'publisherTC'],
      });
      encodings[readBits(tc.split('.')[0]!, CORE_OFFSETS.isRangeEncoding, 1) === 1 ? 'range' : 'bitfield']++;
      const ours = decodeTcString(tc);
      const official = TCString.decode(tc);
      expect(ours.ok, tc).toBe(true);
      if (!ours.ok) continue;
      const ids = (vector: { values(): IterableIterator<number> }) => [...vector.values()].sort((a, b) => a - b);
      expect(ours.value.purposeConsents).toEqual(ids(official.purposeConsents));
      expect(ours.value.purposeLegitimateInterests).toEqual(ids(official.purposeLegitimateInterests));
      expect(ours.value.vendorConsents).toEqual(ids(official.vendorConsents));
      expect(ours.value.vendorLegitimateInterests).toEqual(ids(official.vendorLegitimateInterests));
      expect(ours.value.specialFeatureOptins).toEqual(ids(official.specialFeatureOptins));
      expect(ours.value.vendorsDisclosed).toEqual(ids(official.vendorsDisclosed));
      const restricted = official.publisherRestrictions.getRestrictions().flatMap((r) => official.publisherRestrictions.getVendors(r).map((id) => `${r.purposeId}:${r.restrictionType}:${id}`)).sort();
      expect(ours.value.publisherRestrictions.flatMap((r) => r.vendorIds.map((id) => `${r.purposeId}:${r.restrictionType}:${id}`)).sort()).toEqual(restricted);
    }
    expect(encodings.range).toBeGreaterThan(20);
    expect(encodings.bitfield).toBeGreaterThan(20);
  });

  it('exposes every field the official TCModel decodes, under its IAB name, with the same value', () => {
    // The IAB's own list of what a v2 string carries, segment by segment: a field the library
    // starts decoding in a new version fails this test until TcData exposes it.
    const decodedFields = Object.values(new FieldSequence()['2']).flat() as string[];
    expect(decodedFields).toContain('numCustomPurposes');
    const rand = lcg(11);
    const strings = [
      makeTcString({ purposeConsents: [1, 2, 7], vendorConsents: [4, 755], publisherConsents: [1, 3], publisherLegitimateInterests: [2], publisherCustomConsents: [1, 3], publisherCustomLegitimateInterests: [2], numCustomPurposes: 3, restrictions: [{ purposeId: 2, type: 1, vendorIds: [4] }] }),
      makeTcString({ purposeConsents: [1], vendorConsents: [755], segments: ['core'] }),
      makeTcString({ purposeConsents: [1], vendorConsents: [755], segments: ['core', 'vendorsDisclosed'] }),
      ...Array.from({ length: 20 }, () =>
        makeTcString({
          purposeConsents: pick(rand, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 0.5),
          vendorConsents: pick(rand, GVL_IDS, 0.3),
          specialFeatureOptins: pick(rand, [1, 2], 0.5),
          publisherConsents: pick(rand, [1, 2, 3, 4, 7], 0.5),
          publisherCustomConsents: pick(rand, [1, 2, 3, 4], 0.5),
          numCustomPurposes: 4,
        }),
      ),
    ];
    for (const tc of strings) {
      const official = TCString.decode(tc) as unknown as Record<string, unknown> & TCModel;
      const decoded = decodeTcString(tc);
      if (!decoded.ok) throw new Error(decoded.reason);
      const ours = decoded.value as unknown as Record<string, unknown>;
      for (const field of decodedFields) {
        expect(Object.keys(ours), `TcData lacks ${field}`).toContain(field);
        expect(ours[field], `${field} of ${tc}`).toEqual(asData(field, official[field], ours));
      }
    }
  });

  it('decodes numCustomPurposes from the publisher TC segment', () => {
    const decoded = decodeTcString(makeTcString({ purposeConsents: [1], publisherCustomConsents: [2], numCustomPurposes: 5 }));
    expect(decoded.ok && [decoded.value.numCustomPurposes, decoded.value.publisherCustomConsents]).toEqual([5, [2]]);
    const none = decodeTcString(makeTcString({ purposeConsents: [1], segments: ['core', 'vendorsDisclosed'] }));
    expect(none.ok && [none.value.numCustomPurposes, none.value.publisherTC]).toEqual([0, null]);
  });

  it.each(cases)('rejects malformed input with a reason: $name', ({ input, reason }) => {
    const decoded = decodeTcString(input);
    expect(decoded).toEqual({ ok: false, reason: expect.stringContaining(reason) });
  });

  it('never throws on truncations and byte flips of a valid string', () => {
    const tc = makeTcString({ purposeConsents: [1, 2], vendorConsents: [4, 755] });
    const rand = lcg(7);
    for (let cut = 0; cut < tc.length; cut++) expect(() => decodeTcString(tc.slice(0, cut))).not.toThrow();
    for (let n = 0; n < 300; n++) {
      const i = Math.floor(rand() * tc.length);
      const garbage = tc.slice(0, i) + '!~ZZ._-A'[Math.floor(rand() * 8)] + tc.slice(i + 1);
      const decoded = decodeTcString(garbage);
      if (!decoded.ok) expect(decoded.reason).toMatch(/^tcf: /);
    }
  });
});

describe('validateTcData', () => {
  const valid = makeTcString({ purposeConsents: [1], vendorConsents: [755] });
  const [core, ...rest] = valid.split('.');
  const withCore = (c: string) => [c, ...rest].join('.');
  const reasonsOf = (tc: string) => {
    const decoded = decodeTcString(tc);
    if (!decoded.ok) throw new Error(decoded.reason);
    return validateTcData(decoded.value);
  };

  it('decodes but invalidates IsServiceSpecific = 0', () => {
    const v = reasonsOf(withCore(patchBits(core!, CORE_OFFSETS.isServiceSpecific, 1, 0)));
    expect(v.valid).toBe(false);
    expect(v.reasons.join()).toContain('isServiceSpecific');
  });

  it('decodes but invalidates policy version below 4', () => {
    const v = reasonsOf(withCore(patchBits(core!, CORE_OFFSETS.policyVersion, 6, 2)));
    expect(v.reasons).toEqual(['policy version 2 is below 4']);
  });

  it('decodes but invalidates Created ≠ LastUpdated', () => {
    const v = reasonsOf(makeTcString({ purposeConsents: [1], created: new Date('2026-01-01'), lastUpdated: new Date('2026-03-01') }));
    expect(v.reasons.join()).toContain('Created and LastUpdated differ');
  });

  it('decodes but invalidates a string without the Disclosed Vendors segment (TCF 2.3)', () => {
    const v = reasonsOf(makeTcString({ purposeConsents: [1], segments: ['core'] }));
    expect(v.reasons).toEqual(['Disclosed Vendors segment missing (mandatory since TCF 2.3)']);
  });

  it('notes (but keeps valid) legitimate-interest bits on consent-only purposes', () => {
    // The encoder clears LI 1,3–6, so set purpose-3 LI by hand: PurposesLITransparency starts at bit 176.
    const v = reasonsOf(withCore(patchBits(core!, 176 + 2, 1, 1)));
    expect(v.valid).toBe(true);
    expect(v.notes.join()).toContain('consent-only purposes 3');
  });
});

/** The official model's value as TcData holds it: vectors as sorted ids, dates as ISO text, numbers as numbers. */
function asData(field: string, value: unknown, ours: Record<string, unknown>): unknown {
  const segments = ours.segments as string[];
  if (field === 'vendorsDisclosed' && !segments.includes('disclosedVendors')) return null;
  if (field === 'vendorsAllowed' && !segments.includes('allowedVendors')) return null;
  if (value instanceof Date) return value.toISOString();
  if (field === 'publisherRestrictions') {
    const vector = value as TCModel['publisherRestrictions'];
    return vector
      .getRestrictions()
      .map((r) => ({ purposeId: r.purposeId, restrictionType: r.restrictionType, vendorIds: vector.getVendors(r).sort((a, b) => a - b) }))
      .filter((r) => r.vendorIds.length > 0)
      .sort((a, b) => a.purposeId! - b.purposeId! || a.restrictionType - b.restrictionType);
  }
  if (value && typeof value === 'object' && 'values' in value) return [...(value as { values(): Iterable<number> }).values()].sort((a, b) => a - b);
  if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
  return value;
}
