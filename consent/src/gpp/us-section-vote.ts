import type { GppSection } from './gpp-data.ts';

/**
 * What one GPP field says about a purpose. US opt-out fields: 1 = opted out, 2 = did not opt out;
 * consent fields (SensitiveDataProcessing, KnownChildSensitiveDataConsents, PersonalDataConsents):
 * 1 = no consent, 2 = consent; 0 = not applicable (consent.md §2.2). Both map 1 → denied, 2 → granted.
 * Array fields deny if any entry is 1. uspv1 `OptOutSale` uses 'Y' (opted out) / 'N'.
 * @example gppFieldVote(section, 'SaleOptOut') // 'denied' when SaleOptOut = 1
 */
export function gppFieldVote(section: GppSection, field: string): 'granted' | 'denied' | undefined {
  if (!(field in section.fields)) return undefined;
  const value = section.fields[field];
  if (field === 'Gpc') {
    return section.gpcSubsection === 'present' && value === true ? 'denied' : undefined;
  }
  if (Array.isArray(value)) {
    if (value.includes(1)) return 'denied';
    return value.includes(2) ? 'granted' : undefined;
  }
  if (value === 1 || value === 'Y') return 'denied';
  if (value === 2 || value === 'N') return 'granted';
  return undefined;
}

/** True when a section carries a GPC sub-section that says GPC is on. */
export function gppSaysGpc(section: GppSection): boolean {
  return section.gpcSubsection === 'present' && section.fields.Gpc === true;
}
