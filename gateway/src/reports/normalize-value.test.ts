import { describe, expect, it } from 'vitest';
import { normalizeValue } from './normalize-value.ts';
import { minorUnits } from './minor-units.ts';
import { cartesian, publicKeys } from './key-sets.ts';
import { ReportConfig } from './report-config.ts';
import { toCsv } from './export-releases.ts';

describe('normalizeValue', () => {
  it('maps to the catalogue or (other)', () => {
    expect(normalizeValue(' Spring ', ['spring'])).toBe('spring');
    expect(normalizeValue('winter', ['spring'])).toBe('(other)');
    expect(normalizeValue(undefined, ['spring'])).toBe('(none)');
  });

  it('never keeps an email, phone number, URL or free text as a discovered key', () => {
    for (const raw of ['jane@example.com', '+1 650 555 0100', '6505550100', 'https://x.example/?a=1', 'two words', 'x'.repeat(80), { a: 1 }]) {
      expect(normalizeValue(raw, undefined)).toBe('(other)');
    }
    expect(normalizeValue('Newsletter', undefined)).toBe('newsletter');
    expect(normalizeValue('cpc-2026', undefined)).toBe('cpc-2026');
  });
});

describe('minorUnits', () => {
  it('converts exactly, through the shortest decimal', () => {
    expect(minorUnits(42.5, 2)).toBe(4250n);
    expect(minorUnits(0.29, 2)).toBe(29n); // 0.29 * 100 is 28.999999999999996 in doubles
    expect(minorUnits('19.999', 2)).toBe(1999n);
    expect(minorUnits(-5, 2)).toBe(0n);
    expect(minorUnits('abc', 2)).toBe(0n);
  });
});

describe('publicKeys', () => {
  const config = ReportConfig.parse({ version: 1, events: ['Purchase'], dimensions: ['arm', 'utmSource'], catalogue: { arm: ['a', 'b'] }, countryGroups: { eu: ['DE'] } });

  it('lists catalogue, event, day and country keys; null for discovered dimensions', () => {
    expect(publicKeys('arm', config, [])).toEqual(['a', 'b', '(none)', '(other)']);
    expect(publicKeys('event', config, [])).toEqual(['Purchase']);
    expect(publicKeys('day', config, ['2026-01-01'])).toEqual(['2026-01-01']);
    expect(publicKeys('countryGroup', config, [])).toEqual(['eu', 'other', 'unknown']);
    expect(publicKeys('utmSource', config, [])).toBeNull();
    expect(cartesian([['a', 'b'], ['x']])).toEqual([['a', 'x'], ['b', 'x']]);
  });
});

describe('toCsv', () => {
  it('neutralizes spreadsheet formulas in text but keeps negative numbers', () => {
    const csv = toCsv([{ event: '=HYPERLINK(1)', count: -3 } as never]);
    const line = csv.split('\r\n')[1]!;
    expect(line).toContain("'=HYPERLINK(1)");
    expect(line).toContain(',-3,');
  });
});
