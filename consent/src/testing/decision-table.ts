import { GppModel } from '@iabgpp/cmpapi';
import type { ConsentModeState, ConsentSignals } from '@sluice/protocol';
import table from '../evaluate/fixtures/decisions.v1.json' with { type: 'json' };
import { exampleDocument } from './example-policy.ts';
import { makeTcString, type TcSpec } from './make-tc-string.ts';

/**
 * Test-only: the decision table (`consent/src/evaluate/fixtures/decisions.v1.json`) and what it
 * needs to run, shared by the pure-evaluator suite and the simulator suite in workerd. Rows hold
 * signal *specs* (TC and GPP strings are encoded here with the IAB's own encoders), so a reader
 * checks a row against the docs, not against base64.
 */

/** Named TC strings; every one is encoded with `makeTcString` against the fixture GVL (755 = Google). */
export const TC_PRESETS = {
  /** Every purpose consented, the CMP's default LI transparency, Google (755) consented and LI. */
  full: { purposeConsents: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], purposeLegitimateInterests: [2, 7, 8, 9, 10, 11], vendorConsents: [755], vendorLegitimateInterests: [755] },
  /** Every purpose, but vendor 4 instead of Google: Google refused as a vendor. */
  'missing-google': { purposeConsents: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], purposeLegitimateInterests: [2, 7, 8, 9, 10, 11], vendorConsents: [4], vendorLegitimateInterests: [4] },
  /** Partial: measurement purposes only (1, 7, 8, 9), Google consented. */
  'measurement-only': { purposeConsents: [1, 7, 8, 9], purposeLegitimateInterests: [7, 8, 9], vendorConsents: [755], vendorLegitimateInterests: [755] },
  /** Legitimate interest only: "reject all" with LI left standing. */
  'li-only': { purposeConsents: [], purposeLegitimateInterests: [2, 7, 8, 9, 10, 11], vendorConsents: [], vendorLegitimateInterests: [755] },
  /** Full consent, but the publisher forbids purpose 7 for Google (restriction type 0). */
  'restricted-p7-google': {
    purposeConsents: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11],
    purposeLegitimateInterests: [2, 7, 8, 9, 10, 11],
    vendorConsents: [755],
    vendorLegitimateInterests: [755],
    restrictions: [{ purposeId: 7, type: 0, vendorIds: [755] }],
  },
  /** Full consent without the Disclosed Vendors segment: invalid since TCF 2.3. */
  'no-disclosed-vendors': { purposeConsents: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], purposeLegitimateInterests: [2, 7, 8, 9, 10, 11], vendorConsents: [755], vendorLegitimateInterests: [755], segments: ['core'] },
} satisfies Record<string, TcSpec>;
export type TcPreset = keyof typeof TC_PRESETS | 'malformed';

/** Not base64url: every decoder must refuse it. */
export const MALFORMED_TC = 'CPXx!!';
/** A GPP header followed by a part that is not base64url. */
export const MALFORMED_GPP = 'DBABLA~####';

export interface SignalSpec {
  tcf?: TcPreset;
  gpp?: 'malformed' | { sections?: Array<[string, string, unknown]>; tcfeuv2?: TcPreset; sid?: number[] };
  consentMode?: ConsentModeState;
  cmpCategories?: Record<string, boolean>;
  /** `navigator.globalPrivacyControl` as the SDK reports it. */
  gpc?: boolean;
}

export interface DecisionRow {
  id: string;
  /** The documentation section the row follows. */
  doc: string;
  /** `cmp`: the example policy with CMP categories mapped in every jurisdiction (see `tablePolicy`). */
  policy?: 'example' | 'cmp';
  location: { country: string; region?: string };
  signals: SignalSpec;
  /** The `Sec-GPC: 1` request header. */
  secGpc?: boolean;
  /** Per destination: `"<decision> <adUserData><adPersonalization> [path=action …]"`, G = granted, D = denied. */
  expect: Record<string, string>;
  /** Per destination: a substring the receipt's `rule` must contain (why it got what it got). */
  because?: Record<string, string>;
  /** Per destination: a substring of the receipt's `googleConsentBy.adUserData`. */
  flagsBecause?: Record<string, string>;
}

export interface Expectation {
  decision: 'allow' | 'limited' | 'deny';
  mode: 'full' | 'limited';
  adUserData: 'granted' | 'denied';
  adPersonalization: 'granted' | 'denied';
  /** Final action per field path (the last rule for a path wins, as `applyFieldTransforms` applies them in order). */
  fields: Record<string, string>;
}

export const DECISION_TABLE = table as unknown as { version: 1; destinations: string[]; rows: DecisionRow[] };

/** Parses `"allow GD user.email=drop"`. */
export function expectation(text: string): Expectation {
  const [decision, flags, ...fields] = text.trim().split(/\s+/);
  if (decision !== 'allow' && decision !== 'limited' && decision !== 'deny') throw new Error(`bad decision in "${text}"`);
  if (!flags || !/^[GD]{2}$/.test(flags)) throw new Error(`bad flags in "${text}"`);
  const flag = (c: string) => (c === 'G' ? 'granted' : 'denied') as Expectation['adUserData'];
  return {
    decision,
    mode: decision === 'limited' ? 'limited' : 'full',
    adUserData: flag(flags[0]!),
    adPersonalization: flag(flags[1]!),
    fields: Object.fromEntries(fields.map((f) => f.split('=') as [string, string])),
  };
}

/** The raw signals of a row, as an SDK would send them (before the wire schema parses them). */
export function rawSignals(spec: SignalSpec): ConsentSignals | undefined {
  const out: ConsentSignals = {};
  if (spec.tcf) out.tcString = tcString(spec.tcf);
  if (spec.gpp === 'malformed') out.gppString = MALFORMED_GPP;
  else if (spec.gpp) {
    const model = new GppModel();
    for (const [section, field, value] of spec.gpp.sections ?? []) model.setFieldValue(section, field, value);
    if (spec.gpp.tcfeuv2) model.decodeSection('tcfeuv2', tcString(spec.gpp.tcfeuv2));
    out.gppString = model.encode();
    if (spec.gpp.sid) out.gppSid = spec.gpp.sid;
  }
  if (spec.consentMode) out.consentMode = spec.consentMode;
  if (spec.cmpCategories) out.cmpCategories = spec.cmpCategories;
  if (spec.gpc !== undefined) out.gpc = spec.gpc;
  return Object.keys(out).length > 0 ? out : undefined;
}

const encoded = new Map<string, string>();
function tcString(preset: TcPreset): string {
  if (preset === 'malformed') return MALFORMED_TC;
  let value = encoded.get(preset);
  if (!value) encoded.set(preset, (value = makeTcString(TC_PRESETS[preset])));
  return value;
}

/** OneTrust-style groups: C0002 performance (measurement), C0004 targeting (advertising). */
const CMP_MAPPING = { measurement: ['C0002'], advertising: ['C0004'] };

/** The policy document a row runs under: the shipped example, or it with CMP categories mapped everywhere. */
export function tablePolicy(variant: DecisionRow['policy'] = 'example'): Record<string, any> {
  const doc = exampleDocument();
  if (variant === 'cmp') for (const j of doc.jurisdictions) j.signals = { ...j.signals, cmp: CMP_MAPPING };
  return doc;
}

/** The event every row sends: a Purchase with a Google click id, contact data and a user id. */
export function tableEvent(): Record<string, unknown> {
  return {
    type: 'track',
    event: 'Purchase',
    eventId: '00000000-0000-4000-8000-000000000016',
    timestamp: '2026-12-01T10:00:00.000Z',
    anonymousId: 'anon-table',
    userId: 'cust-42',
    properties: { value: 42.5, currency: 'EUR' },
    user: { email: 'Jane.Doe@Example.com', phone: '+1 650 555 0100' },
    context: { page: { url: 'https://shop.example/checkout?gclid=G1&q=secret' }, clickIds: { gclid: 'G1' }, userAgent: 'Mozilla/5.0 table' },
  };
}

/** Final action per path: global rules, then the destination's, in order (the last for a path wins). */
export function finalActions(fields: ReadonlyArray<{ path: string; action: string }>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of fields) out[f.path] = f.action;
  return out;
}
