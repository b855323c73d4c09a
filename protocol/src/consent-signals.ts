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
  gppSid: z.array(z.number().int().min(0).max(1000)).max(32).optional(),
  consentMode: ConsentModeState.optional(),
  /** `navigator.globalPrivacyControl` as the browser reported it. The gateway also reads `Sec-GPC`. */
  gpc: z.boolean().optional(),
});
export type ConsentSignals = z.infer<typeof ConsentSignals>;
