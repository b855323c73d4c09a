import { GppModel, Sections } from '@iabgpp/cmpapi';
import { failure, type Decoded } from '../result.ts';
import type { GppData, GppSection } from './gpp-data.ts';

/** Protocol caps signal strings at 16 KB; the same bound here keeps the decoder safe on its own. */
export const MAX_GPP_STRING_LENGTH = 16 * 1024;
const PART_PATTERN = /^[A-Za-z0-9_.-]+$/;

/**
 * Decodes a GPP string (header + every section the IAB's `@iabgpp/cmpapi` knows: tcfeuv2,
 * tcfcav1, uspv1, usnat v1/v2, all US state sections). Sections decode lazily in the library,
 * so every field is read here before the string is trusted. Never throws.
 * @example decodeGppString('DBABLA~CEAQAAAAAABA.YA').value.sections[0].fields.SaleOptOut // 1 = opted out
 */
export function decodeGppString(input: string): Decoded<GppData> {
  if (typeof input !== 'string' || input.length === 0) return failure('gpp: empty GPP string');
  if (input.length > MAX_GPP_STRING_LENGTH) return failure('gpp: GPP string too long');
  if (input.startsWith('C')) return failure('gpp: this is a bare TC string, not a GPP string (send it as tcString)');
  if (!input.startsWith('D')) return failure('gpp: header type is not 3 (a GPP string starts with "D")');
  const parts = input.split('~');
  if (!parts.every((part) => part.length > 0 && PART_PATTERN.test(part))) return failure('gpp: a part is empty or not base64url');
  try {
    const model = new GppModel(input);
    const sectionIds = (model.getHeader() as { SectionIds?: number[] }).SectionIds ?? [];
    if (sectionIds.length !== parts.length - 1) {
      return failure(`gpp: header lists ${sectionIds.length} sections but ${parts.length - 1} follow`);
    }
    const all = model.toObject() as Record<string, Record<string, unknown>>;
    const sections: GppSection[] = [];
    for (const [index, id] of sectionIds.entries()) {
      const section = sectionOf(all, id, parts[index + 1]!);
      if (typeof section === 'string') return failure(section);
      sections.push(section);
    }
    return { ok: true, value: { sectionIds, sections } };
  } catch (error) {
    return failure(`gpp: undecodable (${error instanceof Error ? error.message : 'unknown error'})`);
  }
}

function sectionOf(all: Record<string, Record<string, unknown>>, id: number, encoded: string): GppSection | string {
  const name = nameOf(id);
  if (!name) return `gpp: section id ${id} is not supported`;
  const fields = all[name];
  if (!fields) return `gpp: section ${name} did not decode`;
  // Sections that define a GPC sub-section list `Gpc` among their fields; the sub-section is the
  // `.`-joined part after the core segment. Read presence from the encoding, not from `Gpc: false`.
  const hasGpc = 'Gpc' in fields;
  const included = encoded.includes('.');
  return { id, name, fields, gpcSubsection: hasGpc ? (included ? 'present' : 'absent') : 'not-defined', encoded };
}

function nameOf(id: number): string | undefined {
  return Sections.SECTION_ID_NAME_MAP.get(id);
}
