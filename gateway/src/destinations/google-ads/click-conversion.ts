/** Google Ads consent values (`Consent` message; for conversions only `adUserData` is honoured). */
export type ConsentStatus = 'GRANTED' | 'DENIED';

/** A user identifier for click conversions: only hashed email and hashed phone are accepted. */
export type UserIdentifier = { hashedEmail: string } | { hashedPhoneNumber: string };

/** `ClickConversion` in the REST (JSON, lowerCamelCase) form of `customers/{id}:uploadClickConversions`. */
export interface ClickConversion {
  gclid?: string;
  gbraid?: string;
  wbraid?: string;
  conversionAction: string;
  /** `yyyy-mm-dd hh:mm:ss+|-hh:mm`: the offset is required, or Google reads the account's time zone. */
  conversionDateTime: string;
  conversionValue?: number;
  currencyCode?: string;
  /** Dedups with the browser tag's transaction id. */
  orderId?: string;
  userIdentifiers?: UserIdentifier[];
  consent: { adUserData: ConsentStatus };
}

/** What sits on the queue: the conversion and the Sluice event id (for the log; not sent). */
export interface GoogleAdsItem {
  event_id: string;
  conversion: ClickConversion;
}
