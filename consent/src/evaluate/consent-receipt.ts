import type { GcmType } from '../policy/policy-schema.ts';

export type Decision = 'allow' | 'limited' | 'deny';
export type PurposeState = 'granted' | 'denied';

/** How one purpose was decided and by which signal or rule. */
export interface PurposeOutcome {
  state: PurposeState;
  by: string;
}

/** What the evaluator read, without personal data: safe to store in the audit trail. */
export interface SignalSummary {
  tcf?: { source: 'tcString' | 'gpp'; decoded: boolean; valid: boolean; reasons: string[]; cmpId?: number; vendorListVersion?: number; policyVersion?: number };
  gpp?: { decoded: boolean; reason?: string; applicable: Array<{ name: string; gpcSubsection: string }> };
  consentMode?: Partial<Record<GcmType, 'granted' | 'denied'>>;
  gpc: { on: boolean; sources: string[] };
  present: boolean;
}

/**
 * Why one destination got what it got: the policy version, the jurisdiction, the signals used
 * and the rule that decided. Attached to every delivery and written to the audit trail.
 */
export interface ConsentReceipt {
  policyVersion: string;
  jurisdiction: { id: string; model: string; country?: string; region?: string };
  destination: string;
  decision: Decision;
  rule: string;
  purposes: Record<string, PurposeOutcome>;
  adUserData: 'granted' | 'denied';
  adPersonalization: 'granted' | 'denied';
  /** Why each Google flag is what it is, e.g. `advertising denied by gpc (header)`. */
  googleConsentBy: { adUserData: string; adPersonalization: string };
  gvlVersion?: number;
  signals: SignalSummary;
}
