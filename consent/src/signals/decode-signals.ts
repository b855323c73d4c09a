import type { ConsentModeState, ConsentSignals } from '@sluice/protocol';
import type { Decoded } from '../result.ts';
import { decodeTcString } from '../tcf/decode-tc-string.ts';
import type { TcData } from '../tcf/tc-data.ts';
import { validateTcData, type TcValidity } from '../tcf/validate-tc-data.ts';
import { decodeGppString } from '../gpp/decode-gpp-string.ts';
import type { GppData, GppSection } from '../gpp/gpp-data.ts';
import { gppSaysGpc } from '../gpp/us-section-vote.ts';

/** GPP section id of tcfeuv2: its encoding is a TC string (GPP "Section Information"). */
const TCFEUV2_SECTION_ID = 2;

export type TcfSignal =
  | { ok: true; source: 'tcString' | 'gpp'; value: TcData; validity: TcValidity }
  | { ok: false; source: 'tcString' | 'gpp'; reason: string };

/** The raw signals of one event, decoded by the gateway (or SDK) itself. */
export interface DecodedSignals {
  /** False when the event carried no consent signal of any kind (then `noSignal` applies). */
  present: boolean;
  tcf: TcfSignal | undefined;
  gpp: Decoded<GppData> | undefined;
  /** GPP sections in force: the CMP's `applicableSections` when sent, else every section in the string. */
  gppApplicable: GppSection[];
  consentMode: ConsentModeState | undefined;
  /** The CMP's own categories and the visitor's choice, as sent. */
  cmpCategories: Record<string, boolean> | undefined;
  gpc: { on: boolean; sources: Array<'header' | 'dom' | 'gpp'> };
}

/**
 * Decodes everything an event carries plus the `Sec-GPC` header. Never throws: malformed
 * strings become `{ ok: false, reason }` entries that the evaluator treats as denials.
 * @example decodeSignals(event.consent, readSecGpc(request.headers))
 */
export function decodeSignals(raw: ConsentSignals | undefined, secGpc: boolean): DecodedSignals {
  const gpp = raw?.gppString ? decodeGppString(raw.gppString) : undefined;
  const gppApplicable = gpp?.ok ? applicableSections(gpp.value, raw?.gppSid) : [];
  const tcf = tcfSignal(raw?.tcString, gppApplicable);
  const sources: DecodedSignals['gpc']['sources'] = [];
  if (secGpc) sources.push('header');
  if (raw?.gpc === true) sources.push('dom');
  if (gppApplicable.some(gppSaysGpc)) sources.push('gpp');
  const consentMode = raw?.consentMode && Object.keys(raw.consentMode).length > 0 ? raw.consentMode : undefined;
  const cmpCategories = raw?.cmpCategories && Object.keys(raw.cmpCategories).length > 0 ? raw.cmpCategories : undefined;
  return {
    present: Boolean(tcf || gpp || consentMode || cmpCategories || sources.length > 0),
    cmpCategories,
    tcf,
    gpp,
    gppApplicable,
    consentMode,
    gpc: { on: sources.length > 0, sources },
  };
}

function applicableSections(gpp: GppData, sid: number[] | undefined): GppSection[] {
  // No list (or `[-1]`, "no section applies", which the wire schema normalizes to `[]`): every
  // section the string carries is read — the protective reading for opt-outs.
  if (!sid || sid.length === 0) return gpp.sections;
  return gpp.sections.filter((section) => sid.includes(section.id));
}

/**
 * The TC string: `tcString` when sent, else an applicable GPP `tcfeuv2` section (it *is* a TC
 * string, GPP "Section Information"), which then counts as TCF wherever the jurisdiction reads
 * TCF, with the same validity checks. A tcfeuv2 section the CMP's `applicableSections` leaves out
 * is not read. A malformed GPP string yields no TC string.
 */
function tcfSignal(tcString: string | undefined, applicable: GppSection[]): TcfSignal | undefined {
  if (tcString) return withValidity(decodeTcString(tcString), 'tcString');
  const embedded = applicable.find((s) => s.id === TCFEUV2_SECTION_ID);
  return embedded ? withValidity(decodeTcString(embedded.encoded), 'gpp') : undefined;
}

function withValidity(decoded: Decoded<TcData>, source: 'tcString' | 'gpp'): TcfSignal {
  return decoded.ok
    ? { ok: true, source, value: decoded.value, validity: validateTcData(decoded.value) }
    : { ok: false, source, reason: decoded.reason };
}
