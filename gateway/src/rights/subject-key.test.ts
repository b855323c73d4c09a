import { describe, expect, it } from 'vitest';
import fixtures from '../identity/fixtures/normalization.v2.json';
import { createHashMemo, identityOutcome, IDENTITY_PROFILES } from '../identity/index.ts';
import { subjectKey } from './subject-key.ts';

const cases = (fixtures.cases as Array<{ field: string; input: string }>).filter((c) => c.field === 'email' || c.field === 'phone');

describe('subject keys through the request memo (issue 14)', () => {
  it('are exactly the keys computed without it, after the destinations read the same values under their regions', async () => {
    const memo = createHashMemo();
    for (const c of cases) {
      // What ingest's destinations do first with the request's memo (Meta, Google, TikTok under regions).
      for (const profile of Object.values(IDENTITY_PROFILES)) identityOutcome(profile, c.field as 'email' | 'phone', c.input, { memo, regions: ['DE'] });
      const kind = c.field as 'email' | 'phone';
      expect(await subjectKey(kind, c.input, memo), `${kind} ${c.input}`).toBe(await subjectKey(kind, c.input));
    }
  });
});
