/** The demo site seeded into local KV by `npm start` and the e2e tests. Not a secret: write keys are public. */
export const DEMO_WRITE_KEY = 'demo_write_key_0001';
export const DEMO_SITE_ID = 'demo-shop';
/** Name of the secret holding the demo Meta token (from `.dev.vars` or `--var` locally). */
export const DEMO_META_TOKEN_SECRET = 'META_TOKEN_DEMO';
export const DEMO_PIXEL_ID = '1234567890123';

/** The demo site config for a gateway on `port`; the demo shop is served by the gateway itself. */
export function demoSiteConfig(port: number) {
  return {
    id: DEMO_SITE_ID,
    allowedOrigins: [`http://127.0.0.1:${port}`, `http://localhost:${port}`],
    destinations: {
      meta: { type: 'meta', pixelId: DEMO_PIXEL_ID, accessTokenSecret: DEMO_META_TOKEN_SECRET },
    },
  };
}

/** KV entries (`wrangler kv bulk put` format) for the demo site. */
export function demoKvEntries(port: number, site: { id: string } = demoSiteConfig(port)) {
  return [
    { key: `writekey:${DEMO_WRITE_KEY}`, value: site.id },
    { key: `site:${site.id}`, value: JSON.stringify(site) },
  ];
}
