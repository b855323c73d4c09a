import { describe, expect, it } from 'vitest';
import { integrationsSkip } from './integrations-skip.ts';
import { INTEGRATION_NAMES, integrationType } from './integration-names.ts';

describe('integrationsSkip', () => {
  it('All: false turns everything off except what is named true', () => {
    const switches = { All: false, 'Facebook Conversions API': true };
    expect(integrationsSkip(switches, 'meta', 'meta')).toBeUndefined();
    expect(integrationsSkip(switches, 'ga4', 'ga4')).toBe('All');
    expect(integrationsSkip(switches, 'warehouse', 'lake')).toBe('All');
  });
  it('a name set false turns off its destination type only; unknown names are ignored', () => {
    const switches = { 'Google Analytics 4': false, 'Some Email Tool': false, Mixpanel: true };
    expect(integrationsSkip(switches, 'ga4', 'ga4')).toBe('Google Analytics 4');
    expect(integrationsSkip(switches, 'meta', 'meta')).toBeUndefined();
    expect(integrationsSkip({ 'Some Email Tool': false }, 'tiktok', 'tiktok')).toBeUndefined();
    expect(integrationsSkip(undefined, 'meta', 'meta')).toBeUndefined();
  });
  it('matches names case- and punctuation-insensitively, RudderStack keys included', () => {
    expect(integrationsSkip({ google_analytics_4: false }, 'ga4', 'g')).toBe('google_analytics_4');
    expect(integrationsSkip({ GA4: false }, 'ga4', 'g')).toBe('GA4');
    expect(integrationsSkip({ TIKTOK_ADS: false }, 'tiktok', 't')).toBe('TIKTOK_ADS');
    expect(integrationsSkip({ all: false }, 'google_ads', 'ads')).toBe('all');
  });
  it('the site’s own destination key is the most specific switch; among names of one type false wins', () => {
    expect(integrationsSkip({ All: false, lake: true }, 'warehouse', 'lake')).toBeUndefined();
    expect(integrationsSkip({ 'Amazon S3': true, lake: false }, 'warehouse', 'lake')).toBe('lake');
    expect(integrationsSkip({ 'Facebook Conversions API': true, 'Meta Conversions API': false }, 'meta', 'meta')).toBe('Meta Conversions API');
    expect(integrationsSkip({ 'Meta Conversions API': false, 'Facebook Conversions API': true }, 'meta', 'meta')).toBe('Meta Conversions API');
  });
  it('browser pixels are not Sluice’s server-side destinations', () => {
    expect(integrationType('Facebook Pixel')).toBeUndefined();
    expect(integrationsSkip({ 'Facebook Pixel': false }, 'meta', 'meta')).toBeUndefined();
    expect(new Set(Object.values(INTEGRATION_NAMES))).toEqual(new Set(['meta', 'ga4', 'google_ads', 'tiktok', 'warehouse']));
  });
});
