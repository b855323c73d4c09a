/**
 * What counts as personal data in a URL, as data (not code), so the data-rights tooling can apply
 * and show the same rules. Names are compared lowercased, with `-` read as `_`.
 */
export interface UrlRules {
  /** Parameters always kept as they are: attribution click ids and campaign tags carry no person. */
  keepParams: readonly string[];
  /** Parameters always removed, whatever their value. */
  dropParams: readonly string[];
  /** A parameter whose name contains one of these is removed (`billing_email`, `x-auth-token`). */
  dropParamsContaining: readonly string[];
  /** Values that are personal wherever they appear: in a parameter (removed), a path segment or the fragment (replaced). */
  personalValues: ReadonlyArray<{ name: string; pattern: RegExp }>;
  /** What stands in for a personal path segment. */
  placeholder: string;
}

/** The default rules, applied to every page URL and referrer, with or without a consent policy. */
export const DEFAULT_URL_RULES: UrlRules = {
  keepParams: [
    'gclid', 'dclid', 'gbraid', 'wbraid', 'fbclid', 'ttclid', 'msclkid', 'twclid', 'li_fat_id', 'epik',
    'utm_source', 'utm_medium', 'utm_campaign', 'utm_term', 'utm_content', 'utm_id',
  ],
  dropParams: [
    'mail', 'e_mail', 'phone', 'tel', 'telephone', 'mobile', 'cell', 'msisdn', 'fax',
    'name', 'firstname', 'first_name', 'fname', 'lastname', 'last_name', 'lname', 'surname', 'fullname', 'full_name',
    'user', 'username', 'user_name', 'login', 'uid', 'customer', 'customer_id', 'member',
    'address', 'street', 'address1', 'address2', 'zip', 'zipcode', 'postcode', 'postal', 'postal_code',
    'dob', 'ssn', 'iban', 'card', 'cc', 'cvv', 'ip',
    'password', 'passwd', 'pwd', 'pass', 'pin', 'otp', 'code', 'state', 'nonce',
    'auth', 'authorization', 'key', 'apikey', 'api_key', 'sig', 'signature',
    'session', 'sessionid', 'session_id', 'sid', 'jsessionid', 'phpsessid',
  ],
  dropParamsContaining: ['email', 'phone', 'passw', 'token', 'secret', 'birth', 'ssn', 'credential'],
  personalValues: [
    // Tested on one decoded value, segment or fragment at a time: the local part may hold RFC 5322 atext (# / = ? & ').
    { name: 'email', pattern: /[^\s@"<>(),;:]+@[a-z0-9.-]+\.[a-z]{2,}/i },
    // +49 30 1234567, (650) 555-0100, 16505550100: 10–15 digits with separators, or a leading +.
    { name: 'phone', pattern: /^(?:\+[\d\s().-]{6,24}|[\d\s().-]{10,24})$/ },
  ],
  placeholder: 'redacted',
};
