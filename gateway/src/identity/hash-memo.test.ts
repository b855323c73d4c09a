import { describe, expect, it } from 'vitest';
import fixtures from './fixtures/normalization.v2.json';
import { createHashMemo } from './hash-memo.ts';
import { readPhone } from './normalize-phone.ts';

const phones = [...new Set((fixtures.cases as Array<{ field: string; input: string }>).filter((c) => c.field === 'phone').map((c) => c.input))];
const regionLists = [[], ['DE'], ['US'], ['GB', 'FR'], ['IT'], ['BR', 'DE'], ['JP']];

describe('request memo: phone readings (issue 14)', () => {
  it('has international and national numbers among the fixtures', () => {
    expect(phones.filter((p) => p.trimStart().startsWith('+')).length).toBeGreaterThan(5);
    expect(phones.filter((p) => !p.trimStart().startsWith('+')).length).toBeGreaterThan(5);
  });

  it('a number written with + reads the same under any default regions (why the memo shares one reading)', () => {
    for (const phone of phones.filter((p) => p.trimStart().startsWith('+'))) {
      const none = readPhone(phone, []);
      for (const regions of regionLists) expect(readPhone(phone, regions), `${phone} in ${regions}`).toEqual(none);
    }
  });

  it('answers every fixture under every region list exactly as readPhone, whatever was read before', () => {
    const memo = createHashMemo();
    for (const order of [regionLists, [...regionLists].reverse()]) {
      for (const regions of order) {
        for (const phone of phones) expect(memo.readPhone(phone, regions), `${phone} in ${regions}`).toEqual(readPhone(phone, regions));
      }
    }
  });
});
