import { TCString, type TCModel } from '@iabtechlabtcf/core';
import { failure, type Decoded } from '../result.ts';
import type { PublisherRestriction, RestrictionType, TcData, TcSegment } from './tc-data.ts';

/** base64url without padding, the only alphabet TC string segments use (TCF v2 spec, "Base64url"). */
const SEGMENT_PATTERN = /^[A-Za-z0-9_-]+$/;
/** A TC string this long is not a TC string; real ones with thousands of vendors stay well under (protocol caps at 16 KB). */
export const MAX_TC_STRING_LENGTH = 16 * 1024;

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
/** Segment type = top 3 bits of the first 6-bit character (1 DisclosedVendors, 2 AllowedVendors, 3 PublisherTC). */
const SEGMENT_TYPES: Record<number, TcSegment> = { 1: 'disclosedVendors', 2: 'allowedVendors', 3: 'publisherTC' };

/**
 * Decodes a TCF v2.2/2.3 TC string with the IAB's own decoder, adding the checks it skips
 * (version 2, core segment first, no duplicated or unknown segment types). Never throws.
 * @example
 * const r = decodeTcString(tc); if (r.ok) r.value.purposeConsents // [1, 2, 7]
 */
export function decodeTcString(input: string): Decoded<TcData> {
  if (typeof input !== 'string' || input.length === 0) return failure('tcf: empty TC string');
  if (input.length > MAX_TC_STRING_LENGTH) return failure('tcf: TC string too long');
  const parts = input.split('.');
  const segments: TcSegment[] = [];
  for (const [index, part] of parts.entries()) {
    if (!SEGMENT_PATTERN.test(part)) return failure(`tcf: segment ${index + 1} is not base64url`);
    const segment = segmentOf(part, index);
    if (typeof segment !== 'string') return segment;
    if (segments.includes(segment)) return failure(`tcf: duplicate ${segment} segment`);
    segments.push(segment);
  }
  let model: TCModel;
  try {
    model = TCString.decode(input);
  } catch (error) {
    return failure(`tcf: undecodable (${error instanceof Error ? error.message : 'unknown error'})`);
  }
  if (Number(model.version) !== 2) return failure(`tcf: version ${String(model.version)} is not 2`);
  return { ok: true, value: toTcData(model, segments) };
}

function segmentOf(part: string, index: number): TcSegment | { ok: false; reason: string } {
  const sixBits = BASE64URL.indexOf(part[0]!);
  if (index === 0) {
    // Core has no type field; its first 6 bits are Version, which must be 2 (character 'C').
    return sixBits === 2 ? 'core' : failure(`tcf: first segment is not a version-2 core segment`);
  }
  const type = SEGMENT_TYPES[sixBits >> 3];
  return type ?? failure(`tcf: unknown segment type ${sixBits >> 3} in segment ${index + 1}`);
}

function ids(vector: { values(): IterableIterator<number> }): number[] {
  return [...vector.values()].sort((a, b) => a - b);
}

function toTcData(model: TCModel, segments: TcSegment[]): TcData {
  return {
    version: Number(model.version),
    created: isoOrEmpty(model.created),
    lastUpdated: isoOrEmpty(model.lastUpdated),
    cmpId: Number(model.cmpId),
    cmpVersion: Number(model.cmpVersion),
    consentScreen: Number(model.consentScreen),
    consentLanguage: model.consentLanguage,
    vendorListVersion: Number(model.vendorListVersion),
    policyVersion: Number(model.policyVersion),
    isServiceSpecific: model.isServiceSpecific,
    useNonStandardTexts: model.useNonStandardTexts,
    specialFeatureOptins: ids(model.specialFeatureOptins),
    purposeConsents: ids(model.purposeConsents),
    purposeLegitimateInterests: ids(model.purposeLegitimateInterests),
    purposeOneTreatment: model.purposeOneTreatment,
    publisherCountryCode: model.publisherCountryCode,
    vendorConsents: ids(model.vendorConsents),
    vendorLegitimateInterests: ids(model.vendorLegitimateInterests),
    publisherRestrictions: restrictions(model),
    vendorsDisclosed: segments.includes('disclosedVendors') ? ids(model.vendorsDisclosed) : null,
    vendorsAllowed: segments.includes('allowedVendors') ? ids(model.vendorsAllowed) : null,
    publisherConsents: ids(model.publisherConsents),
    publisherLegitimateInterests: ids(model.publisherLegitimateInterests),
    numCustomPurposes: Number(model.numCustomPurposes),
    publisherCustomConsents: ids(model.publisherCustomConsents),
    publisherCustomLegitimateInterests: ids(model.publisherCustomLegitimateInterests),
    publisherTC: segments.includes('publisherTC')
      ? {
          purposeConsents: ids(model.publisherConsents),
          purposeLegitimateInterests: ids(model.publisherLegitimateInterests),
          customPurposeConsents: ids(model.publisherCustomConsents),
          customPurposeLegitimateInterests: ids(model.publisherCustomLegitimateInterests),
        }
      : null,
    segments,
  };
}

function restrictions(model: TCModel): PublisherRestriction[] {
  const vector = model.publisherRestrictions;
  const out: PublisherRestriction[] = [];
  for (const restriction of vector.getRestrictions()) {
    // Ranges are expanded literally: the encoder compresses across ids absent from the GVL (consent.md §1.3).
    const vendorIds = vector.getVendors(restriction).sort((a, b) => a - b);
    if (vendorIds.length === 0) continue;
    out.push({ purposeId: restriction.purposeId as number, restrictionType: restriction.restrictionType as RestrictionType, vendorIds });
  }
  return out.sort((a, b) => a.purposeId - b.purposeId || a.restrictionType - b.restrictionType);
}

function isoOrEmpty(date: Date | undefined): string {
  return date instanceof Date && !Number.isNaN(date.getTime()) ? date.toISOString() : '';
}
