import { z } from 'zod';

/** The privacy team's own purpose vocabulary: stable lowercase keys. */
export const PurposeId = z.string().regex(/^[a-z][a-z0-9_-]{0,31}$/, 'purpose ids are lowercase letters, digits, - and _');
const JurisdictionId = z.string().regex(/^[a-z][a-z0-9_-]{0,31}$/, 'jurisdiction ids are lowercase letters, digits, - and _');
const DestinationKey = z.string().regex(/^[a-z0-9_-]{1,32}$/, 'destination keys match the site config keys');
/** TCF v2.2 defines purposes 1–11 (GVL v3). */
const TcfPurposeId = z.number().int().min(1).max(11);
/** Publisher TC custom purposes: NumCustomPurposes is a 6-bit field. */
const CustomPurposeId = z.number().int().min(1).max(63);

export const GcmType = z.enum(['ad_storage', 'analytics_storage', 'ad_user_data', 'ad_personalization', 'functionality_storage', 'personalization_storage', 'security_storage']);
export type GcmType = z.infer<typeof GcmType>;

export const Purpose = z.strictObject({
  description: z.string().max(500).optional(),
  /** Never gated (strictly necessary processing). */
  essential: z.boolean().optional(),
  tcf: z
    .strictObject({
      /** TCF purposes that must all be consented (or LI, where TCF 2.2 allows LI). */
      purposes: z.array(TcfPurposeId).default([]),
      /** `vendor`: destinations with a `tcfVendorId` also need the vendor check (consent.md §1.4). */
      mode: z.enum(['purpose', 'vendor']).default('purpose'),
      /** Publisher TC segment purposes: for non-GVL destinations the publisher operates (e.g. Meta). */
      publisherPurposes: z.array(TcfPurposeId).optional(),
      customPurposes: z.array(CustomPurposeId).optional(),
    })
    .optional(),
});
export type Purpose = z.infer<typeof Purpose>;

const Country = z.string().regex(/^[A-Z]{2}$/, 'ISO 3166-1 alpha-2, e.g. DE');
const Region = z.string().regex(/^[A-Z]{2}-[A-Z0-9]{1,3}$/, 'ISO 3166-2, e.g. US-CA');

export const JurisdictionMatch = z.union([
  z.strictObject({ default: z.literal(true) }),
  z.strictObject({ countries: z.array(Country).min(1).optional(), regions: z.array(Region).min(1).optional() })
    .refine((m) => m.countries || m.regions, 'match needs countries, regions or default: true'),
]);

/** GPP field names map to the purposes they decide (`SaleOptOut: [advertising]`). */
const GppFieldName = z.string().regex(/^[A-Z][A-Za-z]{1,63}$/, 'a GPP field name as the IAB library spells it, e.g. SaleOptOut');

export const Jurisdiction = z.strictObject({
  id: JurisdictionId,
  match: JurisdictionMatch,
  /** opt-in: denied until granted; opt-out: granted until opted out; notice: granted, opt-outs still honoured. */
  model: z.enum(['opt-in', 'opt-out', 'notice']),
  signals: z
    .strictObject({
      tcf: z.boolean().optional(),
      gcm: z.record(PurposeId, z.array(GcmType).min(1)).optional(),
      gpp: z.record(GppFieldName, z.array(PurposeId).min(1)).optional(),
      gpc: z.strictObject({ optsOut: z.array(PurposeId).min(1) }).optional(),
      /** Purpose → the CMP's own categories that must all be granted (`{ "analytics": ["C0002"] }`). */
      cmp: z.record(PurposeId, z.array(z.string().regex(/^[\w.:-]{1,64}$/, 'a CMP category id, e.g. C0002')).min(1)).optional(),
    })
    .default({}),
  /** With no signal at all: hold events up to `waitMs` in the browser, then apply `then`. */
  noSignal: z.strictObject({
    /** Google's consent-mode TCF integration waits 500 ms; beyond a few seconds users leave (bounded at 30 s). */
    waitMs: z.number().int().min(0).max(30_000).default(0),
    then: z.enum(['allow', 'deny']),
  }),
});
export type Jurisdiction = z.infer<typeof Jurisdiction>;

/** Event fields a rule may name. `context.ip` is the request IP the gateway adds. */
export const FIELD_PATH = /^(userId|anonymousId|context\.ip|context\.userAgent|context\.locale|context\.page\.(url|referrer|title)|user\.(email|phone|firstName|lastName|city|region|postalCode|country|birthdate|gender|externalId)|context\.(clickIds|cookies|utm)\.[a-z]{2,16}|properties\.[A-Za-z0-9_]{1,64})$/;
export const FieldPath = z.string().regex(FIELD_PATH, 'unknown field path (see FIELD_PATH)');

/** Purposes and Consent Mode types a conditional field rule tests (see `needs` / `unlessDenied`). */
export const FieldCondition = z
  .strictObject({ purposes: z.array(PurposeId).min(1).optional(), gcm: z.array(GcmType).min(1).optional() })
  .refine((c) => c.purposes || c.gcm, 'a condition needs purposes or gcm');
export type FieldCondition = z.infer<typeof FieldCondition>;

export const FieldRule = z.strictObject({
  action: z.enum(['keep', 'drop', 'hash', 'generalize', 'strip-query']),
  /** generalize (context.ip only): keep this many leading bits. /24 and /48 are the usual anonymisation. */
  ipv4Prefix: z.number().int().min(0).max(32).optional(),
  ipv6Prefix: z.number().int().min(0).max(128).optional(),
  /** strip-query: query parameters to keep; click ids and utm_* are kept unless `keep` is given. */
  keep: z.array(z.string().min(1).max(64)).optional(),
  /**
   * The action applies only with an affirmative grant: every purpose granted AND every Consent
   * Mode type explicitly `granted` (a type the page never set does not count); otherwise `else`.
   */
  needs: FieldCondition.optional(),
  /**
   * The action applies unless refused: no purpose denied AND no Consent Mode type explicitly
   * `denied` (a type the page never set counts as not refused); otherwise `else`. Purposes always
   * resolve to granted or denied, so for `purposes` this is the same test as `needs`.
   */
  unlessDenied: FieldCondition.optional(),
  /**
   * Deprecated (ambiguous: it reads as "needs a grant" but meant "unless denied" for `gcm`).
   * Still accepted with the old meaning, i.e. exactly `unlessDenied`; `parsePolicy` warns.
   */
  requires: FieldCondition.optional(),
  else: z.enum(['drop', 'hash', 'keep']).default('drop'),
});
export type FieldRule = z.infer<typeof FieldRule>;

export const DestinationPolicy = z.strictObject({
  tcfVendorId: z.number().int().min(1).max(65535).optional(),
  requires: z
    .strictObject({ all: z.array(PurposeId).optional(), any: z.array(PurposeId).min(1).optional() })
    .refine((r) => r.all || r.any, 'requires needs all or any'),
  /** Per jurisdiction: send in the vendor's limited-data-use mode instead of dropping (Meta LDU). */
  whenDenied: z.record(JurisdictionId, z.enum(['limited', 'deny'])).optional(),
  fields: z.record(FieldPath, FieldRule).optional(),
});
export type DestinationPolicy = z.infer<typeof DestinationPolicy>;

/** ISO 8601 durations without fractions (P400D, PT30M, P13M). */
const Duration = z.string().regex(/^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$/, 'an ISO 8601 duration such as P7D or PT30M');

export const Retention = z.strictObject({
  heldUntilConsent: Duration.optional(),
  deliveryQueue: Duration.optional(),
  auditLog: Duration.optional(),
  consentRecords: Duration.optional(),
  /** Per data kind the gateway stores (gateway/src/rights/data-stores.ts); defaults there. */
  deliveryLog: Duration.optional(),
  deadLetters: Duration.optional(),
  deliveredIds: Duration.optional(),
  pixelIds: Duration.optional(),
  quarantine: Duration.optional(),
  subjectIndex: Duration.optional(),
  adminAudit: Duration.optional(),
  decisionLog: Duration.optional(),
  aggregates: Duration.optional(),
  /** Landed warehouse files (R2 Parquet), by event date; the shorter of this and the destination's own wins. */
  warehouse: Duration.optional(),
});

/** The shape of a policy before cross-reference checks (see `parsePolicy`). */
/**
 * Which purpose decides each consent flag Sluice forwards to Google (GA4 `consent.ad_user_data` /
 * `ad_personalization`, Google Ads `consent.adUserData`). Absent: the purpose named `advertising`;
 * a policy without such a purpose forwards both flags as DENIED. See consent/policies/README.md.
 */
export const GoogleConsentFlags = z.strictObject({
  adUserData: PurposeId,
  adPersonalization: PurposeId,
  /** Google's TCF vendor id, checked for the flags' TCF purposes where TCF applies (default 755). */
  tcfVendorId: z.number().int().min(1).max(65535).optional(),
});
export type GoogleConsentFlags = z.infer<typeof GoogleConsentFlags>;

/** The purpose Google's flags follow when the policy has no `googleConsentFlags`. */
export const DEFAULT_GOOGLE_FLAG_PURPOSE = 'advertising';
/** Google's id in the Global Vendor List. */
export const GOOGLE_TCF_VENDOR_ID = 755;

export const PolicyShape = z.strictObject({
  version: z.literal(1),
  purposes: z.record(PurposeId, Purpose),
  googleConsentFlags: GoogleConsentFlags.optional(),
  jurisdictions: z.array(Jurisdiction).min(1),
  destinations: z.record(DestinationKey, DestinationPolicy),
  fields: z.record(FieldPath, FieldRule).default({}),
  retention: Retention.default({}),
});
export type Policy = z.infer<typeof PolicyShape>;
