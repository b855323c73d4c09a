import { GVL, PurposeRestriction, TCModel, TCString } from '@iabtechlabtcf/core';
import gvlJson from '../../fixtures/gvl-test.json' with { type: 'json' };

/** Test-only: the fixture GVL as the official library's `GVL`. */
export function testGvl(): GVL {
  return new GVL(structuredClone(gvlJson) as never);
}

export interface TcSpec {
  purposeConsents?: number[];
  purposeLegitimateInterests?: number[];
  vendorConsents?: number[];
  vendorLegitimateInterests?: number[];
  specialFeatureOptins?: number[];
  vendorsDisclosed?: number[];
  restrictions?: Array<{ purposeId: number; type: 0 | 1 | 2; vendorIds: number[] }>;
  publisherConsents?: number[];
  publisherLegitimateInterests?: number[];
  publisherCustomConsents?: number[];
  publisherCustomLegitimateInterests?: number[];
  numCustomPurposes?: number;
  segments?: Array<'core' | 'vendorsDisclosed' | 'publisherTC'>;
  created?: Date;
  lastUpdated?: Date;
}

/** Test-only: encodes a TC string with the IAB's own encoder (needs a GVL; drops vendors it lacks). */
export function makeTcString(spec: TcSpec): string {
  const model = new TCModel(testGvl());
  model.cmpId = 10;
  model.cmpVersion = 2;
  model.consentScreen = 1;
  model.isServiceSpecific = true;
  model.purposeConsents.set(spec.purposeConsents ?? []);
  model.purposeLegitimateInterests.set(spec.purposeLegitimateInterests ?? []);
  model.vendorConsents.set(spec.vendorConsents ?? []);
  model.vendorLegitimateInterests.set(spec.vendorLegitimateInterests ?? []);
  model.specialFeatureOptins.set(spec.specialFeatureOptins ?? []);
  model.vendorsDisclosed.set(spec.vendorsDisclosed ?? [...(spec.vendorConsents ?? []), ...(spec.vendorLegitimateInterests ?? [])]);
  for (const r of spec.restrictions ?? []) {
    for (const id of r.vendorIds) model.publisherRestrictions.add(id, new PurposeRestriction(r.purposeId, r.type));
  }
  if (spec.numCustomPurposes) model.numCustomPurposes = spec.numCustomPurposes;
  model.publisherConsents.set(spec.publisherConsents ?? []);
  model.publisherLegitimateInterests.set(spec.publisherLegitimateInterests ?? []);
  model.publisherCustomConsents.set(spec.publisherCustomConsents ?? []);
  model.publisherCustomLegitimateInterests.set(spec.publisherCustomLegitimateInterests ?? []);
  const day = spec.created ?? new Date('2026-11-02T00:00:00Z');
  model.created = day;
  model.lastUpdated = spec.lastUpdated ?? day;
  return TCString.encode(model, { segments: spec.segments ?? ['core', 'vendorsDisclosed', 'publisherTC'] } as never);
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** Test-only: overwrites `length` bits at `offset` of a segment (to build strings encoders refuse to make). */
export function patchBits(segment: string, offset: number, length: number, value: number): string {
  const bits = [...segment].map((c) => ALPHABET.indexOf(c).toString(2).padStart(6, '0')).join('');
  const patched = bits.slice(0, offset) + value.toString(2).padStart(length, '0') + bits.slice(offset + length);
  let out = '';
  for (let i = 0; i < patched.length; i += 6) out += ALPHABET[parseInt(patched.slice(i, i + 6).padEnd(6, '0'), 2)];
  return out;
}

/** Reads `length` bits at `offset` of a base64url segment. */
export function readBits(segment: string, offset: number, length: number): number {
  const bits = [...segment].map((c) => ALPHABET.indexOf(c).toString(2).padStart(6, '0')).join('');
  return parseInt(bits.slice(offset, offset + length), 2);
}

/** Core field offsets (TCF v2 "Consent string and vendor list formats", core segment table). */
export const CORE_OFFSETS = { version: 0, policyVersion: 132, isServiceSpecific: 138, maxVendorId: 213, isRangeEncoding: 229 } as const;

/** Deterministic PRNG for generated cases (tests only; product code uses crypto). */
export function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}
