import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Event } from '@sluice/protocol';
import { DEFAULT_MINIMIZATION, generalizeUserAgent, minimizationRules, minimizeEvent, minimizeFacts, minimizeIp, scrubProperties, scrubText, scrubUrl } from './index.ts';

const RUNS = { numRuns: 300, seed: 12 };
const base: Event = { type: 'track', event: 'Purchase', eventId: '6d3f1f4e-9a8b-4c2d-8e1f-0a1b2c3d4e5f', timestamp: '2026-11-28T10:00:00Z', anonymousId: 'a' };

const email = fc.emailAddress().filter((e) => /\.[a-z]{2,}$/i.test(e));
const sep = fc.constantFrom(' ', '-', '.');
/** International numbers as people type them: +CC then groups with separators. */
const phone = fc
  .tuple(fc.integer({ min: 1, max: 998 }), fc.stringMatching(/^\d{3}$/), fc.stringMatching(/^\d{3,4}$/), fc.stringMatching(/^\d{4}$/), sep, sep)
  .map(([cc, a, b, c, s1, s2]) => `+${cc} ${a}${s1}${b}${s2}${c}`);
const word = fc.stringMatching(/^[a-z]{1,10}$/);
const paramName = fc.stringMatching(/^[a-z]{1,8}$/).filter((n) => !DEFAULT_MINIMIZATION.url.keepParams.includes(n));
const secretParam = fc.constantFrom('token', 'access_token', 'auth_token', 'password', 'client_secret', 'api_key', 'apikey', 'session_id', 'otp');
const nameParam = fc.constantFrom('first_name', 'lastname', 'fullname', 'surname', 'name', 'billing_email', 'user');
const secretValue = fc.stringMatching(/^[A-Za-z0-9]{12,30}$/);

const page = (url: string, referrer?: string): Event => ({ ...base, context: { page: { url, ...(referrer && { referrer }) } } });

describe('minimization (fuzzed): nothing personal survives in URLs, referrers or properties', () => {
  it('emails: in query values under any name, in path segments, in referrers, in free text and nested properties', () => {
    fc.assert(
      fc.property(email, paramName, word, (address, name, filler) => {
        const encoded = encodeURIComponent(address);
        const out = minimizeEvent(
          {
            ...page(`https://shop.example/u/${encoded}/orders?${name}=${encoded}&sku=A1`, `https://mail.example/?${name}=${encoded}`),
            properties: { note: `${filler} ${address} ${filler}`, list: [{ deep: `mail ${address}` }], sku: 'A1' },
          },
          DEFAULT_MINIMIZATION,
        );
        const text = JSON.stringify(out);
        expect(text).not.toContain(address);
        expect(text).not.toContain(encoded);
        expect(out.properties!.sku).toBe('A1');
        expect(out.context!.page!.url).toContain('sku=A1');
      }),
      RUNS,
    );
  });

  it('phone numbers: in query values, referrers and free text', () => {
    fc.assert(
      fc.property(phone, paramName, word, (number, name, filler) => {
        const out = minimizeEvent(
          { ...page(`https://shop.example/c?${name}=${encodeURIComponent(number)}`, `https://r.example/?${name}=${encodeURIComponent(number)}`), properties: { note: `${filler} call ${number} ${filler}`, whole: number } },
          DEFAULT_MINIMIZATION,
        );
        const text = JSON.stringify(out);
        expect(text).not.toContain(number);
        expect(text).not.toContain(encodeURIComponent(number));
        expect(text).not.toContain(number.replace(/\D/g, ''));
      }),
      RUNS,
    );
  });

  it('tokens, secrets and names in query strings, and personal property keys, are dropped; click ids and campaign tags kept', () => {
    fc.assert(
      fc.property(secretParam, nameParam, secretValue, word, (secret, nameKey, value, person) => {
        const url = `https://app.example/cb?${secret}=${value}&${nameKey}=${person}Zq&gclid=G-${value}&utm_source=news`;
        const out = minimizeEvent({ ...page(url, url), properties: { firstName: person, customer_email: 'x', apiToken: value, qty: 2 } }, DEFAULT_MINIMIZATION);
        expect(out.context!.page!.url).toBe(`https://app.example/cb?gclid=G-${value}&utm_source=news`);
        expect(out.context!.page!.referrer).toBe(`https://app.example/cb?gclid=G-${value}&utm_source=news`);
        expect(out.properties).toEqual({ qty: 2 });
      }),
      RUNS,
    );
  });

  it('gclid and other click ids survive only where the site allows them', () => {
    const rules = minimizationRules({ keepClickIds: false });
    expect(scrubUrl('https://s.example/?gclid=G1&fbclid=F1&utm_source=x', rules.url)).toBe('https://s.example/?utm_source=x');
    expect(scrubUrl('https://s.example/?gclid=G1', DEFAULT_MINIMIZATION.url)).toBe('https://s.example/?gclid=G1');
  });

  it('leaves ordinary values alone (and shares unchanged objects)', () => {
    const props = { sku: 'A-12', qty: 3, price: 19.99, tags: ['red', 'xl'], orderId: '1234567890', when: '2026-11-28' };
    expect(scrubProperties(props, DEFAULT_MINIMIZATION)).toBe(props);
    const event = { ...page('https://shop.example/p/shoes?color=red'), properties: props };
    expect(minimizeEvent(event, DEFAULT_MINIMIZATION)).toBe(event);
    expect(scrubText('Order 1234567890 shipped 2026-11-28', DEFAULT_MINIMIZATION)).toBe('Order 1234567890 shipped 2026-11-28');
  });

  it('ids made of hex groups are no phone numbers, even when some groups are all digits (fuzzed UUIDs)', () => {
    expect(scrubText('order-1c3a874f-1234-4567-8901-a4e6dbe7ef1d', DEFAULT_MINIMIZATION)).toBe('order-1c3a874f-1234-4567-8901-a4e6dbe7ef1d');
    fc.assert(
      fc.property(fc.uuid(), (id) => {
        const props = { orderId: `order-${id}`, ref: id };
        expect(scrubProperties(props, DEFAULT_MINIMIZATION)).toBe(props);
      }),
      RUNS,
    );
    // A number beside words is still found.
    expect(scrubText('call-650-555-0100 or (650) 555-0100, ext.', DEFAULT_MINIMIZATION)).toBe('call-[redacted] or [redacted], ext.');
  });
});

describe('IP and user agent', () => {
  it('truncates IPv4 to /24 and IPv6 to /48, or removes them (fuzzed)', () => {
    const truncate = minimizationRules({ ip: 'truncate' });
    fc.assert(
      fc.property(fc.ipV4(), (ip) => {
        const out = minimizeIp(ip, truncate)!;
        expect(out.split('.').slice(0, 3)).toEqual(ip.split('.').slice(0, 3).map((o) => String(Number(o))));
        expect(out.endsWith('.0')).toBe(true);
      }),
      RUNS,
    );
    expect(minimizeIp('2001:db8:85a3:8d3:1319:8a2e:370:7348', truncate)).toBe('2001:db8:85a3:0:0:0:0:0');
    expect(minimizeIp('203.0.113.7', minimizationRules({ ip: 'drop' }))).toBeUndefined();
    expect(minimizeIp('203.0.113.7', DEFAULT_MINIMIZATION)).toBe('203.0.113.7');
    expect(minimizeFacts({ ip: '203.0.113.7', userAgent: 'curl/8.1', receivedAt: 1 }, minimizationRules({ ip: 'truncate', userAgent: 'drop' }))).toEqual({ ip: '203.0.113.0', userAgent: undefined, receivedAt: 1 });
  });

  it('generalizes user agents to browser, major version and OS', () => {
    expect(generalizeUserAgent('Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.109 Safari/537.36')).toBe('Chrome/120 (Windows)');
    expect(generalizeUserAgent('Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1')).toBe('Safari/17 (iOS)');
    expect(generalizeUserAgent('Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/23.0 Chrome/115.0.0.0 Mobile Safari/537.36')).toBe('Samsung Internet/23 (Android)');
    expect(generalizeUserAgent('Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:121.0) Gecko/20100101 Firefox/121.0')).toBe('Firefox/121 (macOS)');
    expect(generalizeUserAgent('Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.2210.91')).toBe('Edge/120 (Windows)');
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (ua) => {
        expect(generalizeUserAgent(ua)).toMatch(/^(?:[A-Za-z ]+\/\d+|Other) \((?:Windows|Android|iOS|ChromeOS|macOS|Linux|Other)\)$/);
      }),
      RUNS,
    );
    const event = minimizeEvent({ ...base, context: { userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0.6045.159 Safari/537.36' } }, minimizationRules({ userAgent: 'generalize' }));
    expect(event.context!.userAgent).toBe('Chrome/119 (Linux)');
  });
});
