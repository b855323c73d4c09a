import type { ConsentModeState } from '@sluice/protocol';

/**
 * What the CMP readers saw in the page, final states only. Raw strings go to the gateway
 * (which decides again); the parsed parts only drive the browser's advisory gate.
 */
export interface BrowserSignals {
  tcf?: { tcString: string; gdprApplies: boolean | undefined; purposeConsents: number[]; purposeLegitimateInterests: number[] };
  gpp?: { gppString: string; applicableSections: number[]; sections: Record<string, Record<string, unknown>> };
  consentMode?: ConsentModeState;
  gpc?: boolean;
  /** The CMP's own categories, as the page reports them (`sluice.setConsent({ categories })`). */
  cmpCategories?: Record<string, boolean>;
}

/** A reader reports each final state; it returns a function that stops listening. */
export type SignalReader = (win: Window, report: (update: Partial<BrowserSignals>) => void) => () => void;
