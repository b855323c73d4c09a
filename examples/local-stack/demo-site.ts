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

/** Secrets of the demo destinations `npm start` adds (local sinks accept any value). */
export const DEMO_SECRETS = {
  [DEMO_META_TOKEN_SECRET]: 'local-demo-token',
  GA4_SECRET_DEMO: 'local-demo-ga4-secret',
  ADS_DEV_TOKEN_DEMO: 'local-demo-developer-token',
  ADS_CLIENT_ID_DEMO: 'local-demo-client-id',
  ADS_CLIENT_SECRET_DEMO: 'local-demo-client-secret',
  ADS_REFRESH_TOKEN_DEMO: 'local-demo-refresh-token',
  TIKTOK_TOKEN_DEMO: 'local-demo-tiktok-token',
} as const;

/** The demo site with one destination of every type, each pointed at its local sink by `npm start`. */
export function demoSiteConfigAllDestinations(port: number) {
  const site = demoSiteConfig(port);
  return {
    ...site,
    destinations: {
      ...site.destinations,
      ga4: { type: 'ga4', measurementId: 'G-DEMO0001', apiSecretSecret: 'GA4_SECRET_DEMO' },
      ads: {
        type: 'google_ads',
        customerId: '1234567890',
        conversionActionId: '987654321',
        developerTokenSecret: 'ADS_DEV_TOKEN_DEMO',
        oauthClientIdSecret: 'ADS_CLIENT_ID_DEMO',
        oauthClientSecretSecret: 'ADS_CLIENT_SECRET_DEMO',
        oauthRefreshTokenSecret: 'ADS_REFRESH_TOKEN_DEMO',
      },
      tiktok: { type: 'tiktok', pixelCode: 'DEMOPIXEL0001', accessTokenSecret: 'TIKTOK_TOKEN_DEMO' },
    },
  };
}
