import { z } from 'zod';

const GcmValue = z.enum(['granted', 'denied']);

/** Google Consent Mode v2 state as the page set it with `gtag('consent', ...)`. */
export const ConsentModeState = z.strictObject({
  ad_storage: GcmValue.optional(),
  analytics_storage: GcmValue.optional(),
  ad_user_data: GcmValue.optional(),
  ad_personalization: GcmValue.optional(),
  functionality_storage: GcmValue.optional(),
  personalization_storage: GcmValue.optional(),
  security_storage: GcmValue.optional(),
});
export type ConsentModeState = z.infer<typeof ConsentModeState>;

/**
 * The raw consent signals, exactly as the CMP produced them. The gateway decodes and
 * evaluates them itself; it never trusts a client's reading of them.
 */
export const ConsentSignals = z.strictObject({
  /** IAB TCF v2.2/2.3 TC string. */
  tcString: z.string().max(16 * 1024).optional(),
  /** IAB GPP string and the section ids the CMP says apply. */
  gppString: z.string().max(16 * 1024).optional(),
  /**
   * The CMP's `applicableSections`. `-1` is the GPP CMP API's "no section applies" (common outside
   * the US); it is tolerated and normalized away, so `[-1]` parses as `[]` (= no list sent, every
   * section in the string is read). Rejecting it lost every event of such pages.
   */
  gppSid: z
    .array(z.number().int().min(-1).max(1000))
    .max(32)
    .transform((ids) => ids.filter((id) => id >= 0))
    .optional(),
  consentMode: ConsentModeState.optional(),
  /**
   * Categories as the site's CMP names them, with the visitor's choice: OneTrust groups (`C0002`),
   * Cookiebot (`statistics`), Usercentrics or a home-made banner. The policy maps them to purposes.
   */
  cmpCategories: z
    .record(z.string().regex(/^[\w.:-]{1,64}$/), z.boolean())
    .refine((categories) => Object.keys(categories).length <= 64, 'at most 64 CMP categories')
    .optional(),
  /** `navigator.globalPrivacyControl` as the browser reported it. The gateway also reads `Sec-GPC`. */
  gpc: z.boolean().optional(),
});
export type ConsentSignals = z.infer<typeof ConsentSignals>;
