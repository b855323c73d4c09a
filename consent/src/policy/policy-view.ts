import type { Policy } from './policy-schema.ts';
import type { Location } from '../evaluate/resolve-jurisdiction.ts';
import { resolveJurisdiction } from '../evaluate/resolve-jurisdiction.ts';

/**
 * What the SDK needs from the policy for the visitor's jurisdiction (served by `GET /v1/config`):
 * no zod, no evaluator; just enough to hold, wait and gate. The gateway still decides.
 */
export interface PolicyView {
  policyVersion: string;
  jurisdiction: string;
  model: 'opt-in' | 'opt-out' | 'notice';
  noSignal: { waitMs: number; then: 'allow' | 'deny' };
  /** Which CMP APIs the SDK should read here. */
  read: { tcf: boolean; gpp: boolean; gcm: boolean; gpc: boolean; cmp: boolean };
  /** Purposes each destination needs; `limited`: it still gets a limited-data-use copy when they are denied here. */
  destinations: Record<string, { all: string[]; any: string[]; limited: boolean }>;
  /** Purpose → TCF purposes / GCM types / GPP fields / GPC opt-out, so the SDK can tell a grant from a withdrawal. */
  purposes: Record<string, { essential: boolean; tcf: number[]; gcm: string[]; gpp: string[]; gpcOptsOut: boolean; cmp: string[] }>;
  /** Held-event buffer lifetime in ms (retention.heldUntilConsent). */
  heldMaxMs: number;
}

/** Thirty minutes: long enough for a slow consent choice, short enough to stay a session buffer. */
export const DEFAULT_HELD_MAX_MS = 30 * 60 * 1000;

/**
 * Builds the SDK's view of a policy for one location. Pass the site's destination keys so the
 * browser only counts destinations that exist (others would keep events flowing for nothing).
 */
export function policyView(policy: Policy, policyVersion: string, location: Location, siteDestinations?: string[]): PolicyView {
  const { jurisdiction: j } = resolveJurisdiction(policy, location);
  const purposes: PolicyView['purposes'] = {};
  for (const [id, p] of Object.entries(policy.purposes)) {
    purposes[id] = {
      essential: p.essential === true,
      tcf: j.signals.tcf ? (p.tcf?.purposes ?? []) : [],
      gcm: j.signals.gcm?.[id] ?? [],
      gpp: Object.entries(j.signals.gpp ?? {}).filter(([, ids]) => ids.includes(id)).map(([field]) => field),
      gpcOptsOut: j.signals.gpc?.optsOut.includes(id) ?? false,
      cmp: j.signals.cmp?.[id] ?? [],
    };
  }
  const destinations: PolicyView['destinations'] = {};
  for (const [key, d] of Object.entries(policy.destinations)) {
    if (siteDestinations && !siteDestinations.includes(key)) continue;
    destinations[key] = { all: d.requires.all ?? [], any: d.requires.any ?? [], limited: d.whenDenied?.[j.id] === 'limited' };
  }
  return {
    policyVersion,
    jurisdiction: j.id,
    model: j.model,
    noSignal: { waitMs: j.noSignal.waitMs, then: j.noSignal.then },
    read: { tcf: j.signals.tcf === true, gpp: Boolean(j.signals.gpp), gcm: Boolean(j.signals.gcm), gpc: Boolean(j.signals.gpc), cmp: Boolean(j.signals.cmp) },
    destinations,
    purposes,
    heldMaxMs: durationMs(policy.retention.heldUntilConsent) ?? DEFAULT_HELD_MAX_MS,
  };
}

/** ISO 8601 duration → ms (months 30 days, years 365 days: retention, not calendars). */
export function durationMs(duration: string | undefined): number | undefined {
  if (!duration) return undefined;
  const m = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/.exec(duration);
  if (!m) return undefined;
  const [y, mo, w, d, h, mi, s] = m.slice(1).map((v) => Number(v ?? 0)) as [number, number, number, number, number, number, number];
  return ((((y * 365 + mo * 30 + w * 7 + d) * 24 + h) * 60 + mi) * 60 + s) * 1000;
}
