import type { ConsentSignals } from '@sluice/protocol';

/** CMP category ids the policy can name (protocol `cmpCategories` keys). */
const CATEGORY_ID = /^[\w.:-]{1,64}$/;

/**
 * Segment's consent object to Sluice's raw signals. `context.consent.categoryPreferences` (Segment
 * Consent Management; the OneTrust wrapper fills it with OneTrust group ids such as `C0002`, other
 * CMPs with their category names) becomes `cmpCategories`, which the site's policy maps to purposes
 * per jurisdiction (`signals.cmp`). IAB strings, when a client forwards them, are decoded by the
 * gateway like the SDK's: `context.consent.tcString` / `gppString` / `gppSid`, or `context.tcf` /
 * `context.gpp` as some wrappers name them. Categories whose names do not fit are skipped (the policy cannot name them).
 * @example segmentConsent({ consent: { categoryPreferences: { C0002: true, C0004: false } } }) // { cmpCategories: { C0002: true, C0004: false } }
 */
export function segmentConsent(context: Record<string, unknown> | undefined): ConsentSignals | undefined {
  if (!context) return undefined;
  const consent = asObject(context.consent);
  const out: ConsentSignals = {};
  const preferences = asObject(consent?.categoryPreferences);
  if (preferences) {
    const categories: Record<string, boolean> = {};
    for (const [id, granted] of Object.entries(preferences)) {
      if (CATEGORY_ID.test(id) && typeof granted === 'boolean' && Object.keys(categories).length < 64) categories[id] = granted;
    }
    if (Object.keys(categories).length) out.cmpCategories = categories;
  }
  const tcString = str(consent?.tcString) ?? str(asObject(context.tcf)?.tcString) ?? str(context.tcf);
  const gppString = str(consent?.gppString) ?? str(asObject(context.gpp)?.gppString) ?? str(context.gpp);
  const gppSid = consent?.gppSid ?? asObject(context.gpp)?.applicableSections;
  if (tcString) out.tcString = tcString;
  if (gppString) out.gppString = gppString;
  if (Array.isArray(gppSid) && gppSid.every((n) => Number.isInteger(n))) out.gppSid = gppSid as number[];
  if (typeof consent?.gpc === 'boolean') out.gpc = consent.gpc;
  return Object.keys(out).length ? out : undefined;
}

function asObject(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}
