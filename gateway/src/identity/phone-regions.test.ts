import { describe, expect, it } from 'vitest';
import { getCountries } from 'libphonenumber-js/max';
import countries from './data/countries.v1.json' with { type: 'json' };
import { normalizeCountry } from './normalize-country.ts';
import { phoneRegions } from './phone-regions.ts';

describe('phoneRegions', () => {
  it('orders address country → site defaultCountry → request country, without repeats', () => {
    expect(phoneRegions({ addressCountry: 'France', defaultCountry: 'GB', requestCountry: 'DE' })).toEqual(['FR', 'GB', 'DE']);
    expect(phoneRegions({ addressCountry: 'de', defaultCountry: 'DE', requestCountry: 'DE' })).toEqual(['DE']);
    expect(phoneRegions({ defaultCountry: 'GB', requestCountry: 'JP' })).toEqual(['GB', 'JP']);
    expect(phoneRegions({})).toEqual([]);
  });

  it('skips placeholders and non-countries in any source (Cloudflare reports XX and T1 for unknown and Tor)', () => {
    expect(phoneRegions({ addressCountry: 'N.A.', defaultCountry: undefined, requestCountry: 'XX' })).toEqual([]);
    expect(phoneRegions({ addressCountry: 'none', requestCountry: 'T1' })).toEqual([]);
    expect(phoneRegions({ addressCountry: 'Atlantis', requestCountry: 'IT' })).toEqual(['IT']);
  });
});

describe('countries.v1.json', () => {
  const iso = countries.iso3166Alpha2.split(' ');

  it('lists the 249 ISO 3166-1 alpha-2 codes once each', () => {
    expect(iso).toHaveLength(249);
    expect(new Set(iso).size).toBe(249);
    for (const code of iso) expect(code).toMatch(/^[A-Z]{2}$/);
  });

  it('holds every region libphonenumber knows, except its non-ISO ones (AC Ascension, TA Tristan da Cunha, XK Kosovo)', () => {
    const missing = getCountries().filter((code) => !iso.includes(code));
    expect(missing.sort()).toEqual(['AC', 'TA', 'XK']);
  });

  it('maps every alias to a listed code, and no placeholder to any code', () => {
    for (const [code, names] of Object.entries(countries.aliases)) {
      expect(iso).toContain(code.toUpperCase());
      for (const name of names) expect(normalizeCountry(name), name).toBe(code);
    }
    for (const placeholder of countries.placeholders) expect(normalizeCountry(placeholder), placeholder).toBeUndefined();
    for (const placeholder of countries.placeholders) expect(normalizeCountry(placeholder.toUpperCase()), placeholder).toBeUndefined();
  });
});
