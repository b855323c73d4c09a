// The workload of bench/identity.bench.mjs, bundled by esbuild and run inside workerd (Miniflare):
// normalize + hash every identity field of a realistic mixed user object for each vendor profile,
// with the frozen previous implementation (identity-v1/) and the current one (gateway/src/identity/).
import * as v1 from './identity-v1/index.ts';
import * as v2 from '../gateway/src/identity/index.ts';
import { normalizePhone as v1Phone } from './identity-v1/field-rules.ts';

type User = Record<string, string>;
type Field = v2.IdentityField;

/** Checkout forms and CRMs of the locales Sluice tests: display names, national phones, datetimes, names, placeholders. */
export const USERS: User[] = [
  { email: 'Erika Muster <Erika.Muster@Example.de>', phone: '0176 12345678', firstName: 'Erika', lastName: 'Müller-Lüdenscheidt', city: 'München', region: 'Bayern', postalCode: '80331', country: 'Deutschland', birthdate: '1988-07-21T00:00:00.000Z', gender: 'female', externalId: 'crm-4711' },
  { email: ' Jean.Dupont+promo@GMail.com ', phone: '+33 (0)6 12 34 56 78', firstName: 'Jean-Luc', lastName: 'Dupont', city: 'Paris', region: 'Île-de-France', postalCode: '75001', country: 'FR', birthdate: '21/07/1975', gender: 'm', externalId: 'u-1001' },
  { email: 'jane.doe@example.com', phone: '(212) 555-0187', firstName: 'Jane', lastName: 'Doe Jr.', city: 'New York', region: 'New York', postalCode: '10001-1234', country: 'United States', birthdate: '1990-07-04', gender: 'F', externalId: 'u-1002' },
  { email: 'mario.rossi@esempio.it', phone: '347 123 4567', firstName: 'Mario', lastName: 'Rossi', city: 'Roma', region: 'Lazio', postalCode: '00184', country: 'Italia', birthdate: '1982-03-15 08:15', gender: 'male', externalId: 'u-1003' },
  { email: 'priya.sharma@example.in', phone: '098765 43210', firstName: 'Priya', lastName: 'Sharma', city: 'Mumbai', region: 'Maharashtra', postalCode: '400001', country: 'India', birthdate: '1995-11-30T18:30:00+05:30', gender: 'female', externalId: 'u-1004' },
  { email: 'tanaka@example.jp', phone: '090-1234-5678', firstName: '太郎', lastName: '田中', city: '東京', region: '東京都', postalCode: '100-0001', country: '日本', birthdate: '1979/01/02', gender: 'm', externalId: 'u-1005' },
  { email: 'ana.souza@exemplo.com.br', phone: '(11) 91234-5678', firstName: 'Ana', lastName: 'Souza', city: 'São Paulo', region: 'SP', postalCode: '01310-100', country: 'Brasil', birthdate: '1992-05-09', gender: 'f', externalId: 'u-1006' },
  { email: 'j.jansen@voorbeeld.nl', phone: '06 12345678', firstName: 'Jan', lastName: 'de Jong', city: 'Amsterdam', region: 'Noord-Holland', postalCode: '1012 AB', country: 'N.A.', birthdate: '1985-12-24', gender: 'man', externalId: 'u-1007' },
];

/** The profiles one event goes through at a site with Meta, GA4 + Google Ads (one profile) and TikTok. */
const PROFILES = ['meta', 'google', 'tiktok'] as const;

/** v1: every field of every profile, hashed with crypto.subtle, no regions, no memo. */
async function userV1(user: User): Promise<number> {
  let sent = 0;
  for (const name of PROFILES) {
    const profile = v1.IDENTITY_PROFILES[name];
    for (const field of Object.keys(profile) as Field[]) if (await v1.identityValue(profile, field, user[field])) sent++;
  }
  return sent;
}

/** v2: the same, with libphonenumber and the address country as phone region; `memo` shared by one request. */
function userV2(user: User, memo?: v2.HashMemo): number {
  let sent = 0;
  const regions = v2.phoneRegions({ addressCountry: user.country, defaultCountry: 'GB' });
  const options = memo ? { regions, memo } : { regions };
  for (const name of PROFILES) {
    const profile = v2.IDENTITY_PROFILES[name];
    for (const field of Object.keys(profile) as Field[]) if (v2.identityOutcome(profile, field, user[field], options).kind === 'value') sent++;
  }
  return sent;
}

async function subtleHex(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  let hex = '';
  for (const byte of digest) hex += byte.toString(16).padStart(2, '0');
  return hex;
}

const SHORT = ['jane.doe@example.com', '447911123456', '+4917612345678', 'maryann', 'sanfrancisco', '94035', 'us', '19900704', 'f'];

/** One run of `n` operations of a workload; returns a checksum so nothing is optimized away. */
const WORKLOADS: Record<string, (n: number) => Promise<number> | number> = {
  async 'user-v1'(n) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += await userV1(USERS[i % USERS.length]!);
    return sum;
  },
  'user-v2'(n) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += userV2(USERS[i % USERS.length]!);
    return sum;
  },
  /** One event per request: the memo still reads the phone once for all three profiles. */
  'user-v2-memo1'(n) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += userV2(USERS[i % USERS.length]!, v2.createHashMemo());
    return sum;
  },
  /** A request of 10 events by the same visitor (one memo per request): realistic batching. */
  'user-v2-memo'(n) {
    let sum = 0;
    for (let i = 0; i < n; i += 10) {
      const memo = v2.createHashMemo();
      for (let j = i; j < Math.min(n, i + 10); j++) sum += userV2(USERS[Math.floor(i / 10) % USERS.length]!, memo);
    }
    return sum;
  },
  'phone-v1'(n) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += v1Phone(USERS[i % USERS.length]!.phone!, true)?.length ?? 0;
    return sum;
  },
  'phone-v2'(n) {
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const user = USERS[i % USERS.length]!;
      const reading = v2.readPhone(user.phone!, v2.phoneRegions({ addressCountry: user.country, defaultCountry: 'GB' }));
      sum += reading.ok ? reading.e164.length : 0;
    }
    return sum;
  },
  async 'sha-subtle'(n) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += (await subtleHex(SHORT[i % SHORT.length]!)).length;
    return sum;
  },
  'sha-sync'(n) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += v2.sha256HexSync(SHORT[i % SHORT.length]!).length;
    return sum;
  },
};

export default {
  async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const workload = WORKLOADS[url.searchParams.get('w') ?? ''];
    if (!workload) return new Response('unknown workload', { status: 404 });
    const checksum = await workload(Number(url.searchParams.get('n') ?? '1'));
    return Response.json({ checksum });
  },
};
