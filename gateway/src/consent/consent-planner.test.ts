import { env, createExecutionContext } from 'cloudflare:test';
import { beforeEach, describe, expect, it } from 'vitest';
import { decodeSignals, evaluateConsent } from '@sluice/consent';
import type { Event } from '@sluice/protocol';
import worker from '../index.ts';
import type { Env } from '../env.ts';
import gvlDoc from '../../../consent/fixtures/gvl-test.json';
import { makeTcString } from '../../../consent/src/testing/make-tc-string.ts';
import { site } from '../../test/fixtures.ts';
import { ADMIN, putPolicy, seedConsentSite, testPolicy } from '../../test/consent-fixtures.ts';
import { consentPlanner, EVALUATIONS_KEPT } from './consent-planner.ts';
import { loadLivePolicy } from './live-policy.ts';
import { loadGvl } from './live-gvl.ts';
import { receiptsByHash } from './write-audit.ts';
import { sha256Hex } from '../identity/sha256.ts';

// The planner keeps evaluations per isolate (issue 14); these hold it to what a fresh evaluation says.
const seeded = { ...site, destinations: { ...site.destinations, meta_measurement: { type: 'meta' as const, pixelId: '9876543210', accessTokenSecret: 'META_TOKEN_TEST' } } };
const fullTc = makeTcString({ purposeConsents: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], purposeLegitimateInterests: [2, 7, 8, 9, 10, 11], vendorConsents: [755], vendorLegitimateInterests: [755] });
const measurementTc = makeTcString({ purposeConsents: [1, 7, 8, 9], purposeLegitimateInterests: [7, 8, 9] });

const event = (consent: Record<string, unknown>): Event => ({ type: 'track', event: 'Purchase', eventId: crypto.randomUUID(), timestamp: new Date().toISOString(), consent }) as unknown as Event;
const request = (cf: Record<string, string>, headers: Record<string, string> = {}) => new Request('https://gw.example/v1/batch', { method: 'POST', headers, cf } as RequestInit);
const testEnv = () => ({ ...(env as Env), GEO_OVERRIDE: undefined }) as Env;

/** What evaluating from scratch says, without any planner or cache. */
async function fresh(e: Event, country: string, secGpc = false) {
  const live = (await loadLivePolicy(env.CONFIG, site.id))!;
  const gvl = await loadGvl(env.CONFIG);
  return evaluateConsent({ policy: live.policy, policyVersion: live.policyVersion, signals: decodeSignals(e.consent, secGpc), location: { country }, destinations: Object.keys(seeded.destinations), gvl });
}

beforeEach(async () => {
  await seedConsentSite();
  expect((await putPolicy(testPolicy())).status).toBe(200);
  await worker.fetch(new Request('https://gw.example/v1/admin/gvl', { method: 'PUT', headers: ADMIN, body: JSON.stringify(gvlDoc) }), env as Env, createExecutionContext());
});

describe('consent planner: evaluations kept per isolate', () => {
  it('answers a later request with the same signals exactly as a fresh evaluation, sharing its receipts', async () => {
    const first = await consentPlanner(testEnv(), seeded, request({ country: 'DE' }));
    const second = await consentPlanner(testEnv(), seeded, request({ country: 'DE' }));
    const a = event({ tcString: fullTc });
    const b = event({ tcString: fullTc });
    for (const key of Object.keys(seeded.destinations)) {
      expect(second!.verdict(b, key)).toEqual((await fresh(b, 'DE')).destinations[key]);
      // The same receipt object: its hash is computed once for both requests.
      expect(second!.verdict(b, key).receipt).toBe(first!.verdict(a, key).receipt);
    }
    const receipt = second!.verdict(b, 'meta').receipt;
    expect((await receiptsByHash([receipt])).get(receipt)).toBe(await sha256Hex(JSON.stringify(receipt)));
    expect((await receiptsByHash([receipt])).get(receipt)).toBe(await sha256Hex(JSON.stringify(receipt)));
  });

  it('never answers one signal set, place or Sec-GPC with another one\'s evaluation', async () => {
    const cases: Array<[Record<string, unknown>, string, boolean]> = [
      [{ tcString: fullTc }, 'DE', false],
      [{ tcString: measurementTc }, 'DE', false],
      [{ tcString: fullTc }, 'DE', true],
      [{ tcString: fullTc }, 'BR', false],
      [{}, 'DE', false],
    ];
    // Twice over: the second round is answered from what the first one kept.
    for (let round = 0; round < 2; round++) {
      for (const [consent, country, gpc] of cases) {
        const planner = await consentPlanner(testEnv(), seeded, request({ country }, gpc ? { 'sec-gpc': '1' } : {}));
        const e = event(consent);
        const expected = await fresh(e, country, gpc);
        for (const key of Object.keys(seeded.destinations)) expect(planner!.verdict(e, key)).toEqual(expected.destinations[key]);
        expect(planner!.purposes(e)).toEqual(expected.purposes);
      }
    }
  });

  it('decides under a new policy as soon as it is stored, not from evaluations of the old one', async () => {
    const before = await consentPlanner(testEnv(), seeded, request({ country: 'DE' }));
    const e = event({ tcString: measurementTc });
    const old = before!.verdict(e, 'meta');
    // Advertising consent missing: the example policy denies the advertising pixel.
    expect(old.decision).toBe('deny');
    const looser = testPolicy();
    looser.destinations.meta = { requires: { all: ['measurement'] } };
    expect((await putPolicy(looser)).status).toBe(200);
    const after = await consentPlanner(testEnv(), seeded, request({ country: 'DE' }));
    const later = event({ tcString: measurementTc });
    const verdict = after!.verdict(later, 'meta');
    expect(verdict.receipt.policyVersion).not.toBe(old.receipt.policyVersion);
    expect(verdict.decision).not.toBe('deny');
    expect(verdict).toEqual((await fresh(later, 'DE')).destinations.meta);
  });

  it('stays correct past its bound: the earliest signal set is evaluated again after others evicted it', async () => {
    const first = event({ tcString: fullTc });
    const planner = await consentPlanner(testEnv(), seeded, request({ country: 'DE' }));
    const kept = planner!.verdict(first, 'meta');
    for (let i = 0; i <= EVALUATIONS_KEPT; i++) {
      const other = await consentPlanner(testEnv(), seeded, request({ country: 'DE' }));
      other!.verdict(event({ tcString: measurementTc, cmpCategories: { [`c${i}`]: true } }), 'meta');
    }
    const again = await consentPlanner(testEnv(), seeded, request({ country: 'DE' }));
    const next = event({ tcString: fullTc });
    expect(again!.verdict(next, 'meta')).toEqual(kept);
    expect(again!.verdict(next, 'meta')).toEqual((await fresh(next, 'DE')).destinations.meta);
  });
});
