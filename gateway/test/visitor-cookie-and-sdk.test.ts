import { SELF } from 'cloudflare:test';
import { beforeEach, describe, expect, it } from 'vitest';
import { ORIGIN, WRITE_KEY, batchOf, seedSite, trackEvent } from './fixtures.ts';

beforeEach(() => seedSite());

function post(events: unknown[], query = '', cookie?: string) {
  const headers: Record<string, string> = { origin: ORIGIN, 'content-type': 'text/plain' };
  if (cookie) headers.cookie = cookie;
  return SELF.fetch(`https://gw.example/v1/batch?key=${WRITE_KEY}${query}`, { method: 'POST', headers, body: JSON.stringify(batchOf(events)) });
}

describe('first-party visitor cookie', () => {
  it('sets an HttpOnly, Secure, SameSite=Lax, 400-day cookie from the visitor id when storage is allowed', async () => {
    const anonymousId = crypto.randomUUID();
    const response = await post([trackEvent({ anonymousId })], '&id=1');
    const cookie = response.headers.get('set-cookie')!;
    expect(cookie).toContain(`sl_aid=${anonymousId}`);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/Secure/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Max-Age=34560000/);
    expect(((await response.json()) as { anonymousId: string }).anonymousId).toBe(anonymousId);
  });

  it('identifies a returning visitor by the cookie even when the page lost its stored id', async () => {
    const original = crypto.randomUUID();
    const response = await post([trackEvent({ anonymousId: crypto.randomUUID() })], '&id=1', `other=1; sl_aid=${original}`);
    expect(((await response.json()) as { anonymousId: string }).anonymousId).toBe(original);
    expect(response.headers.get('set-cookie')).toContain(`sl_aid=${original}`);
  });

  it('sets no cookie without storage consent, and deletes one that exists', async () => {
    const fresh = await post([trackEvent()]);
    expect(fresh.headers.get('set-cookie')).toBeNull();
    expect(((await fresh.json()) as Record<string, unknown>).anonymousId).toBeUndefined();
    const withdrawn = await post([trackEvent()], '', `sl_aid=${crypto.randomUUID()}`);
    expect(withdrawn.headers.get('set-cookie')).toMatch(/^sl_aid=; Max-Age=0/);
  });

  it('ignores a cookie value that is not a visitor id', async () => {
    const anonymousId = crypto.randomUUID();
    const response = await post([trackEvent({ anonymousId })], '&id=1', 'sl_aid=<script>');
    expect(((await response.json()) as { anonymousId: string }).anonymousId).toBe(anonymousId);
  });
});

describe('first-party SDK serving', () => {
  it('serves /sdk.js with a short cache and the versioned copy immutable, matching the published SRI', async () => {
    const manifest = (await (await SELF.fetch('https://gw.example/sdk/manifest.json')).json()) as { version: string; integrity: Record<string, string> };
    const latest = await SELF.fetch('https://gw.example/sdk.js');
    expect(latest.status).toBe(200);
    expect(latest.headers.get('cache-control')).toMatch(/max-age=300/);
    const pinned = await SELF.fetch(`https://gw.example/sdk/${manifest.version}/sluice.js`);
    expect(pinned.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(pinned.headers.get('content-type')).toMatch(/javascript/);
    const bytes = await pinned.arrayBuffer();
    const digest = btoa(String.fromCharCode(...new Uint8Array(await crypto.subtle.digest('SHA-384', bytes))));
    expect(manifest.integrity['sluice.js']).toBe(`sha384-${digest}`);
    expect(await latest.arrayBuffer()).toEqual(bytes);
  });

  it('serves the lazy chunks cross-origin (module imports fetch in CORS mode)', async () => {
    const manifest = (await (await SELF.fetch('https://gw.example/sdk/manifest.json')).json()) as { version: string };
    for (const chunk of ['sluice-idb.js', 'sluice-consent.js']) {
      const response = await SELF.fetch(`https://gw.example/sdk/${manifest.version}/${chunk}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('access-control-allow-origin')).toBe('*');
    }
  });
});
