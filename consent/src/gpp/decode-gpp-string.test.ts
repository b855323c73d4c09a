import { describe, expect, it } from 'vitest';
import { GppModel } from '@iabgpp/cmpapi';
import { decodeGppString } from './decode-gpp-string.ts';
import { gppFieldVote, gppSaysGpc } from './us-section-vote.ts';
import { decodeTcString } from '../tcf/decode-tc-string.ts';
import { lcg, makeTcString } from '../testing/make-tc-string.ts';
import cases from '../../fixtures/gpp-malformed.json' with { type: 'json' };

function encode(fields: Array<[string, string, unknown]>): string {
  const model = new GppModel();
  for (const [section, field, value] of fields) model.setFieldValue(section, field, value);
  return model.encode();
}

function decoded(gpp: string) {
  const result = decodeGppString(gpp);
  if (!result.ok) throw new Error(result.reason);
  return result.value;
}

describe('decodeGppString', () => {
  it('decodes usnat v2 with opt-out polarity 1 = opted out, 2 = did not opt out', () => {
    const gpp = encode([['usnat', 'SaleOptOutNotice', 1], ['usnat', 'SaleOptOut', 1], ['usnat', 'TargetedAdvertisingOptOut', 2]]);
    const [usnat] = decoded(gpp).sections;
    expect(usnat).toMatchObject({ id: 7, name: 'usnat', fields: { Version: 2, SaleOptOut: 1, TargetedAdvertisingOptOut: 2 } });
    expect((usnat!.fields.SensitiveDataProcessing as number[]).length).toBe(16);
    expect(gppFieldVote(usnat!, 'SaleOptOut')).toBe('denied');
    expect(gppFieldVote(usnat!, 'TargetedAdvertisingOptOut')).toBe('granted');
    expect(gppFieldVote(usnat!, 'SharingOptOut')).toBeUndefined(); // 0 = not applicable
  });

  it('decodes usnat v1 (12 sensitive categories, 2 child entries) with consent polarity 1 = no consent', () => {
    const gpp = encode([['usnat', 'Version', 1], ['usnat', 'SensitiveDataProcessing', [2, 2, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]], ['usnat', 'KnownChildSensitiveDataConsents', [2, 2]]]);
    const [usnat] = decoded(gpp).sections;
    expect(usnat!.fields.Version).toBe(1);
    expect(usnat!.fields.SensitiveDataProcessing).toHaveLength(12);
    expect(usnat!.fields.KnownChildSensitiveDataConsents).toEqual([2, 2]);
    expect(gppFieldVote(usnat!, 'SensitiveDataProcessing')).toBe('denied');
    expect(gppFieldVote(usnat!, 'KnownChildSensitiveDataConsents')).toBe('granted');
  });

  it('tells a GPC sub-section that is present and on, present and off, and absent apart', () => {
    const on = decoded(encode([['usnat', 'GpcSegmentIncluded', true], ['usnat', 'Gpc', true]])).sections[0]!;
    const off = decoded(encode([['usnat', 'GpcSegmentIncluded', true], ['usnat', 'Gpc', false]])).sections[0]!;
    const absent = decoded(encode([['usnat', 'GpcSegmentIncluded', false], ['usnat', 'SaleOptOut', 2]])).sections[0]!;
    expect([on.gpcSubsection, off.gpcSubsection, absent.gpcSubsection]).toEqual(['present', 'present', 'absent']);
    expect([gppSaysGpc(on), gppSaysGpc(off), gppSaysGpc(absent)]).toEqual([true, false, false]);
    expect(absent.encoded).not.toContain('.');
    const va = decoded(encode([['usva', 'SaleOptOut', 1]])).sections[0]!;
    expect(va.gpcSubsection).toBe('not-defined');
  });

  it('decodes every US state section the library knows, incl. the 2025 ones, and uspv1', () => {
    const states = ['usca', 'usva', 'usco', 'usut', 'usct', 'usfl', 'usmt', 'usor', 'ustx', 'usde', 'usia', 'usne', 'usnh', 'usnj', 'ustn', 'usmn', 'usmd', 'usin', 'usky', 'usri'];
    for (const state of states) {
      const { sections } = decoded(encode([[state, 'SaleOptOut', 1]]));
      expect(sections[0]!.name).toBe(state);
      expect(gppFieldVote(sections[0]!, 'SaleOptOut')).toBe('denied');
    }
    const usp = decoded(encode([['uspv1', 'Notice', 'Y'], ['uspv1', 'OptOutSale', 'Y']])).sections[0]!;
    expect(gppFieldVote(usp, 'OptOutSale')).toBe('denied');
  });

  it('carries a tcfeuv2 section whose encoding decodes as the same TC string', () => {
    const tc = makeTcString({ purposeConsents: [1, 7], vendorConsents: [755] });
    const model = new GppModel();
    model.decodeSection('tcfeuv2', tc);
    const section = decoded(model.encode()).sections.find((s) => s.name === 'tcfeuv2')!;
    const fromGpp = decodeTcString(section.encoded);
    expect(fromGpp.ok && fromGpp.value.purposeConsents).toEqual([1, 7]);
    expect(fromGpp.ok && fromGpp.value.vendorConsents).toEqual([755]);
  });

  it.each(cases)('rejects malformed input with a reason: $name', ({ input, reason }) => {
    expect(decodeGppString(input)).toEqual({ ok: false, reason: expect.stringContaining(reason) });
  });

  it('never throws on truncations and character flips', () => {
    const gpp = encode([['usnat', 'SaleOptOut', 1], ['usca', 'SharingOptOut', 2], ['usnat', 'Gpc', true]]);
    const rand = lcg(3);
    for (let cut = 0; cut <= gpp.length; cut++) expect(() => decodeGppString(gpp.slice(0, cut))).not.toThrow();
    for (let n = 0; n < 300; n++) {
      const i = Math.floor(rand() * gpp.length);
      const mutated = gpp.slice(0, i) + 'A~.Z_-9'[Math.floor(rand() * 7)] + gpp.slice(i + 1);
      const result = decodeGppString(mutated);
      if (!result.ok) expect(result.reason).toMatch(/^gpp: /);
    }
  });
});
