import { describe, expect, it } from 'vitest';
import { CLICK_ID_WINDOWS_MS, captureAttribution } from './attribution.ts';

describe('captureAttribution', () => {
  it('reads every vendor click id and UTM from the landing URL, keeping their case', () => {
    const url = 'https://shop.example/?fbclid=IwAR2xYz_AbC&gclid=Cj0KCQ&wbraid=WB&gbraid=GB&ttclid=E.C.P.Tt&msclkid=MsC&utm_source=news&utm_campaign=Black%20Friday';
    const found = captureAttribution(url, 1_000);
    expect(found.clickIds).toEqual({ fbclid: 'IwAR2xYz_AbC', gclid: 'Cj0KCQ', wbraid: 'WB', gbraid: 'GB', ttclid: 'E.C.P.Tt', msclkid: 'MsC' });
    expect(found.utm).toEqual({ source: 'news', campaign: 'Black Friday' });
    expect(found.fbclidAt).toBe(1_000);
  });

  it('gives each vendor its own attribution window, longest for Google', () => {
    expect(CLICK_ID_WINDOWS_MS.fbclid).toBeLessThan(CLICK_ID_WINDOWS_MS.ttclid);
    expect(CLICK_ID_WINDOWS_MS.ttclid).toBeLessThan(CLICK_ID_WINDOWS_MS.gclid);
  });

  it('finds nothing on a plain URL', () => {
    expect(captureAttribution('https://shop.example/cart', 5).clickIds).toBeUndefined();
  });
});
