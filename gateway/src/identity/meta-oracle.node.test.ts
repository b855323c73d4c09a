/**
 * Differential test of the Meta profile against Meta's own normalization code:
 * `facebook-nodejs-business-sdk` (ServerSideUtils.normalizeAndHash, the classic SDK) and
 * `capi-param-builder-nodejs` (ParamBuilder.getNormalizedAndHashedPII, Meta's newer library that
 * follows the documented rules closely). Runs in Node (`unit` project): the oracles are Node packages.
 *
 * Every input either agrees with an oracle (same digest, or both decline to send) or is listed
 * with the reason we deliberately differ. The test also fails when a listed difference vanishes,
 * so the list stays true.
 */
import { describe, expect, it } from 'vitest';
import bizSdk from 'facebook-nodejs-business-sdk';
import paramBuilder from 'capi-param-builder-nodejs';
import { META_PROFILE, type IdentityField } from './identity-profile.ts';
import { identityValue } from './identity-value.ts';

const { ServerSideUtils } = bizSdk as unknown as { ServerSideUtils: { normalizeAndHash(input: string, field: string): string | null } };
const builder = new (paramBuilder as unknown as { ParamBuilder: new (domains: string[]) => { getNormalizedAndHashedPII(v: string, t: string): string | null } }).ParamBuilder(['shop.example']);

const SDK_KEY: Record<IdentityField, string> = {
  email: 'em', phone: 'ph', firstName: 'fn', lastName: 'ln', city: 'ct', region: 'st', postalCode: 'zp',
  country: 'country', birthdate: 'db', gender: 'ge', externalId: 'external_id',
};
const BUILDER_TYPE: Record<IdentityField, string> = {
  email: 'email', phone: 'phone', firstName: 'first_name', lastName: 'last_name', city: 'city', region: 'state',
  postalCode: 'zip_code', country: 'country', birthdate: 'date_of_birth', gender: 'gender', externalId: 'external_id',
};

/** The classic SDK throws on values it rejects; both "throws" and null mean "not sent". */
function sdkHash(input: string, field: IdentityField): string | undefined {
  try {
    return ServerSideUtils.normalizeAndHash(input, SDK_KEY[field]) ?? undefined;
  } catch {
    return undefined;
  }
}

/** The Parameter Builder appends `.<appendix>` (a base64url version tag) to each hash; compare the digest. */
function builderHash(input: string, field: IdentityField): string | undefined {
  return builder.getNormalizedAndHashedPII(input, BUILDER_TYPE[field])?.split('.')[0] ?? undefined;
}

type Verdict = 'same' | string;
interface Row {
  field: IdentityField;
  input: string;
  /** 'same', or why we deliberately differ from the classic SDK. */
  sdk: Verdict;
  /** 'same', or why we deliberately differ from the Parameter Builder. */
  builder: Verdict;
  /** Default phone regions (the libraries take none: they cannot add a country code). */
  regions?: string[];
}

const SDK_MD5 = 'we pass through SHA-256 digests only; Meta documents SHA-256, an MD5 would be an unmatchable value';
const SDK_PUNCT = 'the SDK keeps punctuation and spaces in names; Meta documents "no punctuation" (Parameter Builder agrees)';
const SDK_THROWS_COUNTRY = 'the SDK throws on non-ISO countries; we map common names as the Parameter Builder does';
const SDK_DOB = 'the SDK hashes dates as typed; Meta documents YYYYMMDD, so we convert (Parameter Builder agrees)';
const SDK_STATE = 'the SDK does not map state names to the documented 2-letter codes';
const PB_TRUNCATE = 'the Parameter Builder truncates every state to 2 letters; Meta documents that only for US states, others stay whole';
const PB_ASCII = 'the Parameter Builder strips non-Latin letters ("münchen" → "mnchen"); Meta says UTF-8 for special characters';
const PB_DIGITS = 'the Parameter Builder keeps digits in cities; Meta documents letters only, as the SDK does';
const PB_ZIP_SPACE = 'the Parameter Builder keeps inner spaces in postal codes; Meta documents "no spaces"';
const BOTH_NFC = 'we compose NFD input to NFC first so that one name has one hash; neither library does';
const PHONE_RANGE = 'we send only numbers libphonenumber reads as valid (or possible, with an explicit country code); the Parameter Builder hashes any digit string';
const NATIONAL = 'a national number: the libraries strip the trunk 0 and hash it without country code; Meta documents that ph "must include the country code", so we add it from the default region (libphonenumber)';
const TRUNK = 'the trunk prefix written as (0) inside an international number is not dialled (ITU-T E.123 §2.7); the libraries keep the 0 and hash a number that does not exist';
const NO_REGION = 'a national number with no default region has no knowable country, so we send nothing; the libraries hash digits without country code, against Meta\'s "must include the country code"';
const DISPLAY_NAME = 'the RFC 5322 display-name form ("Name <addr>"): we send the address; both libraries reject the whole value';
const PB_VANITY = 'the Parameter Builder drops the letters of "+1 800 FLOWERS" and hashes 1800, nobody\'s number; we send nothing';
const PB_PLACEHOLDER = 'the Parameter Builder turns a placeholder into a country ("N.A."/"n/a" → na = Namibia, "none" → no = Norway); Meta documents ISO 3166-1 alpha-2, and a placeholder is no country';
const PB_NON_ISO = 'the Parameter Builder hashes any two letters ("xx", "uk"); Meta documents ISO 3166-1 alpha-2: XX is no country, UK is GB';
const PB_NAME_CUT = 'the Parameter Builder cuts names it does not know to two letters ("Nederland" → ne = Niger); we map the name to its code (nl)';
const PB_NON_LATIN = 'the Parameter Builder drops names in non-Latin script ("日本"); we map it to jp';
const DOB_AMBIGUOUS = 'we do not guess day/month order when both are ≤ 12 or the date is impossible; both libraries hash something';

const ROWS: Row[] = [
  { field: 'email', input: 'John_Smith@gmail.com', sdk: 'same', builder: 'same' },
  { field: 'email', input: ' Jane.Doe+news@GMail.com ', sdk: 'same', builder: 'same' },
  { field: 'email', input: 'not-an-email', sdk: 'same', builder: 'same' },
  { field: 'email', input: 'a@b', sdk: 'same', builder: 'same' },
  { field: 'email', input: 'jane doe@example.com', sdk: 'same', builder: 'same' },
  { field: 'email', input: '62A14E44F765419D10FEA99367361A727C12365E2520F32218D505ED9AA0F62F', sdk: 'same', builder: 'same' },
  { field: 'email', input: 'd41d8cd98f00b204e9800998ecf8427e', sdk: SDK_MD5, builder: SDK_MD5 },
  { field: 'phone', input: '+1 (650) 555-0100', sdk: 'same', builder: 'same' },
  { field: 'phone', input: '0044 20 7946 0958', sdk: 'same', builder: 'same' },
  { field: 'phone', input: '+49 (0)30 1234567', sdk: TRUNK, builder: TRUNK },
  { field: 'phone', input: '06 12 34 56 78', sdk: NO_REGION, builder: NO_REGION },
  { field: 'phone', input: '650.555.0100', regions: ['US'], sdk: 'the SDK keeps "." in phone numbers; Meta documents digits only', builder: NATIONAL },
  { field: 'phone', input: '12345', sdk: 'same', builder: PHONE_RANGE },
  { field: 'phone', input: '+1 234 567 890 123 456 7', sdk: 'same', builder: PHONE_RANGE },
  { field: 'firstName', input: '  Mary-Ann ', sdk: SDK_PUNCT, builder: 'same' },
  { field: 'firstName', input: 'Zoë', sdk: 'same', builder: 'same' },
  { field: 'firstName', input: 'Zoe\u0308', sdk: BOTH_NFC, builder: BOTH_NFC },
  { field: 'firstName', input: 'José María', sdk: SDK_PUNCT, builder: 'same' },
  { field: 'firstName', input: '...', sdk: 'the SDK hashes a name made only of punctuation', builder: 'same' },
  { field: 'firstName', input: 'Jean3', sdk: 'same', builder: 'same' },
  { field: 'lastName', input: "O'Brien Smith", sdk: SDK_PUNCT, builder: 'same' },
  { field: 'city', input: 'San Francisco', sdk: 'same', builder: 'same' },
  { field: 'city', input: 'New-York', sdk: 'same', builder: 'same' },
  { field: 'city', input: 'St. Louis 2', sdk: 'same', builder: PB_DIGITS },
  { field: 'city', input: 'München', sdk: 'same', builder: PB_ASCII },
  { field: 'region', input: 'CA', sdk: 'same', builder: 'same' },
  { field: 'region', input: 'California', sdk: SDK_STATE, builder: 'same' },
  { field: 'region', input: 'New York', sdk: SDK_STATE, builder: 'same' },
  { field: 'region', input: 'Bavaria', sdk: 'same', builder: PB_TRUNCATE },
  { field: 'region', input: 'Île-de-France', sdk: 'same', builder: PB_TRUNCATE },
  { field: 'postalCode', input: '94035-1234', sdk: 'same', builder: 'same' },
  { field: 'postalCode', input: '94035', sdk: 'same', builder: 'same' },
  { field: 'postalCode', input: '1', sdk: 'same', builder: 'same' },
  { field: 'postalCode', input: 'SW1A 1AA', sdk: 'same', builder: PB_ZIP_SPACE },
  { field: 'country', input: 'US', sdk: 'same', builder: 'same' },
  { field: 'country', input: 'gb', sdk: 'same', builder: 'same' },
  { field: 'country', input: 'United Kingdom', sdk: SDK_THROWS_COUNTRY, builder: 'same' },
  { field: 'country', input: 'usa', sdk: SDK_THROWS_COUNTRY, builder: 'same' },
  { field: 'country', input: 'Atlantis', sdk: 'same', builder: 'the Parameter Builder hashes "at" for an unknown country name; we send nothing' },
  { field: 'birthdate', input: '19900704', sdk: 'same', builder: 'same' },
  { field: 'birthdate', input: '1990-07-04', sdk: SDK_DOB, builder: 'same' },
  { field: 'birthdate', input: '31/12/1990', sdk: SDK_DOB, builder: 'same' },
  { field: 'birthdate', input: '12/31/1990', sdk: SDK_DOB, builder: 'same' },
  { field: 'birthdate', input: '04/07/1990', sdk: DOB_AMBIGUOUS, builder: DOB_AMBIGUOUS },
  { field: 'birthdate', input: '1990-02-30', sdk: DOB_AMBIGUOUS, builder: DOB_AMBIGUOUS },
  { field: 'email', input: 'Erika Muster <erika@example.org>', sdk: DISPLAY_NAME, builder: DISPLAY_NAME },
  { field: 'email', input: '"Muster, Erika" <Erika@Example.org>', sdk: DISPLAY_NAME, builder: DISPLAY_NAME },
  { field: 'email', input: 'erika muster@example.org', sdk: 'same', builder: 'same' },
  { field: 'email', input: 'erika@exam ple.org', sdk: 'same', builder: 'same' },
  { field: 'phone', input: '07911 123456', regions: ['GB'], sdk: NATIONAL, builder: NATIONAL },
  { field: 'phone', input: '(212) 555-0187', regions: ['US'], sdk: NATIONAL, builder: NATIONAL },
  { field: 'phone', input: '0176 12345678', regions: ['DE'], sdk: NATIONAL, builder: NATIONAL },
  { field: 'phone', input: '+33 (0)6 12 34 56 78', sdk: TRUNK, builder: TRUNK },
  { field: 'phone', input: '+39 06 1234 5678', sdk: 'same', builder: 'same' },
  { field: 'phone', input: '06 1234 5678', regions: ['IT'], sdk: NATIONAL, builder: NATIONAL },
  { field: 'phone', input: '612 34 56 78', regions: ['ES'], sdk: NATIONAL, builder: NATIONAL },
  { field: 'phone', input: '98765 43210', regions: ['IN'], sdk: NATIONAL, builder: NATIONAL },
  { field: 'phone', input: '(11) 91234-5678', regions: ['BR'], sdk: NATIONAL, builder: NATIONAL },
  { field: 'phone', input: '090-1234-5678', regions: ['JP'], sdk: NATIONAL, builder: NATIONAL },
  { field: 'phone', input: '+31 (0)20 123 4567', sdk: TRUNK, builder: TRUNK },
  { field: 'phone', input: '442079460958', sdk: 'same', builder: 'same' },
  { field: 'phone', input: '+1 800 FLOWERS', sdk: 'same', builder: PB_VANITY },
  { field: 'birthdate', input: '1988-07-21T00:00:00.000Z', sdk: SDK_DOB, builder: 'same' },
  { field: 'birthdate', input: '1988-07-21 08:15', sdk: SDK_DOB, builder: 'same' },
  { field: 'birthdate', input: '1988-07-21T23:30:00-05:00', sdk: SDK_DOB, builder: 'same' },
  { field: 'birthdate', input: '21.07.1988', sdk: SDK_DOB, builder: 'same' },
  { field: 'country', input: 'N.A.', sdk: 'same', builder: PB_PLACEHOLDER },
  { field: 'country', input: 'n/a', sdk: 'same', builder: PB_PLACEHOLDER },
  { field: 'country', input: 'none', sdk: 'same', builder: PB_PLACEHOLDER },
  { field: 'country', input: '?', sdk: 'same', builder: 'same' },
  { field: 'country', input: 'NA', sdk: 'same', builder: 'same' },
  { field: 'country', input: 'XX', sdk: 'same', builder: PB_NON_ISO },
  { field: 'country', input: 'UK', sdk: SDK_THROWS_COUNTRY, builder: PB_NON_ISO },
  { field: 'country', input: 'Italia', sdk: SDK_THROWS_COUNTRY, builder: 'same' },
  { field: 'country', input: 'España', sdk: SDK_THROWS_COUNTRY, builder: 'same' },
  { field: 'country', input: 'Nederland', sdk: SDK_THROWS_COUNTRY, builder: PB_NAME_CUT },
  { field: 'country', input: '日本', sdk: SDK_THROWS_COUNTRY, builder: PB_NON_LATIN },
  { field: 'gender', input: 'Female', sdk: 'same', builder: 'same' },
  { field: 'gender', input: ' M ', sdk: 'same', builder: 'same' },
  { field: 'gender', input: 'non-binary', sdk: 'same', builder: 'same' },
  { field: 'gender', input: 'woman', sdk: 'the SDK knows only f/female/m/male', builder: 'same' },
  { field: 'externalId', input: '  User-42 ', sdk: 'same', builder: 'same' },
  { field: 'externalId', input: 'ABC 123', sdk: 'the SDK keeps inner spaces in external ids', builder: 'same' },
];

describe('Meta profile vs Meta’s own normalization code', () => {
  it.each(ROWS.map((r) => [`${r.field} ${JSON.stringify(r.input)}${r.regions ? ` in ${r.regions.join(',')}` : ''}`, r] as const))('%s', async (_, row) => {
    const ours = await identityValue(META_PROFILE, row.field, row.input, row.regions ? { regions: row.regions } : {});
    const oracles = { sdk: sdkHash(row.input, row.field), builder: builderHash(row.input, row.field) };
    for (const name of ['sdk', 'builder'] as const) {
      if (row[name] === 'same') expect(ours, `${name} agrees`).toBe(oracles[name]);
      else expect(ours, `documented difference from ${name}: ${row[name]}`).not.toBe(oracles[name]);
    }
  });

  it('covers every field Meta takes', () => {
    expect(new Set(ROWS.map((r) => r.field))).toEqual(new Set(Object.keys(META_PROFILE)));
  });
});
