/** GA4 Measurement Protocol consent values ("Send Measurement Protocol events"). */
export type Ga4ConsentValue = 'GRANTED' | 'DENIED';

/** `user_provided_data` ("Send user-provided data with User-ID"): hashed contact fields, address parts in clear. */
export interface Ga4UserData {
  sha256_email_address?: string[];
  sha256_phone_number?: string[];
  address?: Array<{
    sha256_first_name?: string;
    sha256_last_name?: string;
    city?: string;
    region?: string;
    postal_code?: string;
    country?: string;
  }>;
}

/** One event with the request-level fields it must share with any event it is batched with. */
export interface Ga4Item {
  client_id: string;
  user_id?: string;
  consent: { ad_user_data: Ga4ConsentValue; ad_personalization: Ga4ConsentValue };
  user_data?: Ga4UserData;
  /** Sluice event id, kept for the delivery log; GA4 has no event-id dedup. Not sent. */
  event_id: string;
  event: { name: string; timestamp_micros: number; params: Record<string, string | number | Array<Record<string, string>>> };
}
