// `npm start`: the gateway in wrangler dev (workerd, local state in .wrangler/state) with the demo site seeded,
// local sinks standing in for all four conversion APIs (Meta, GA4, Google Ads, TikTok), and the URL to open.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { describeRequest, startGa4Sink, startGoogleAdsSink, startMetaSink, startTikTokSink, type RunningSink } from '../sinks/index.ts';
import { DEMO_SECRETS, demoKvEntries, demoSiteConfigAllDestinations } from './demo-site.ts';
import { startGateway } from './wrangler-dev.ts';
import { repoRoot } from './repo-root.ts';
import { printBanner } from './banner.ts';
import { assertPortFree } from './port-check.ts';
import { ensureDevVar, readDevVar } from './dev-vars.ts';
import { seedDemoPolicy } from './seed-demo-policy.ts';
import { publishModels } from './publish-models.ts';

const PORT = Number(process.env.PORT ?? 8787);
const SINK_PORTS = {
  meta: Number(process.env.META_SINK_PORT ?? 9630),
  ga4: Number(process.env.GA4_SINK_PORT ?? 9631),
  googleAds: Number(process.env.GOOGLE_ADS_SINK_PORT ?? 9632),
  tiktok: Number(process.env.TIKTOK_SINK_PORT ?? 9633),
};
const ROOT = `${repoRoot()}/`;
/** Stands in for Cloudflare's edge geo locally: the demo visitor is in the EEA, so the TCF banner decides. */
const DEMO_GEO = process.env.DEMO_GEO ?? 'DE';
await assertPortFree(PORT, 'PORT');
for (const [name, port] of Object.entries(SINK_PORTS)) {
  await assertPortFree(port, `${name.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}_SINK_PORT`);
}

// Secrets live in .dev.vars locally (git-ignored), never in code or KV. Missing demo secrets are appended.
const devVars = `${ROOT}.dev.vars`;
const present = existsSync(devVars) ? readFileSync(devVars, 'utf8') : '';
const missing: Array<[string, string]> = Object.entries(DEMO_SECRETS).filter(([name]) => !new RegExp(`^${name}=`, 'm').test(present));
if (!/^ADMIN_TOKEN=/m.test(present)) missing.push(['ADMIN_TOKEN', randomBytes(24).toString('base64url')]);
if (missing.length) {
  writeFileSync(devVars, `${present}${present && !present.endsWith('\n') ? '\n' : ''}${missing.map(([k, v]) => `${k}=${v}`).join('\n')}\n`);
  console.log(`wrote ${missing.map(([k]) => k).join(', ')} to .dev.vars`);
}

ensureDevVar(`${ROOT}.dev.vars`, 'ADMIN_READONLY_TOKEN');

const sinks: Record<keyof typeof SINK_PORTS, RunningSink> = {
  meta: await startMetaSink(SINK_PORTS.meta),
  ga4: await startGa4Sink(SINK_PORTS.ga4),
  googleAds: await startGoogleAdsSink(SINK_PORTS.googleAds),
  tiktok: await startTikTokSink(SINK_PORTS.tiktok),
};
const gateway = await startGateway({
  port: PORT,
  persistTo: `${ROOT}.wrangler/state`,
  kv: demoKvEntries(PORT, demoSiteConfigAllDestinations(PORT)),
  vars: {
    META_API_BASE_URL: sinks.meta.url,
    GA4_API_BASE_URL: sinks.ga4.url,
    GOOGLE_ADS_API_BASE_URL: sinks.googleAds.url,
    GOOGLE_OAUTH_BASE_URL: sinks.googleAds.url,
    TIKTOK_API_BASE_URL: sinks.tiktok.url,
    GEO_OVERRIDE: DEMO_GEO,
  },
  logFile: `${ROOT}.wrangler/dev.log`,
});
const adminToken = readDevVar(`${ROOT}.dev.vars`, 'ADMIN_TOKEN') ?? '';
await seedDemoPolicy(gateway.url, adminToken);

// The committed on-device models (edge-models/models), published and live, for the demo's "For you" list.
if (adminToken) await publishModels(gateway.url, adminToken).catch((error) => console.warn(`models not published: ${error.message}`));

// Every sink request is printed as it arrives, with access tokens, API secrets and OAuth credentials redacted.
const seen = { meta: 0, ga4: 0, googleAds: 0, tiktok: 0 };
setInterval(() => {
  for (const [name, sink] of Object.entries(sinks) as Array<[keyof typeof sinks, RunningSink]>) {
    for (const request of sink.received.slice(seen[name])) console.log(describeRequest(name, request));
    seen[name] = sink.received.length;
  }
}, 500);

printBanner({
  gatewayUrl: gateway.url,
  sinks: [
    { name: 'Meta', url: sinks.meta.url },
    { name: 'GA4', url: sinks.ga4.url },
    { name: 'Google Ads', url: sinks.googleAds.url },
    { name: 'TikTok', url: sinks.tiktok.url },
  ],
  devVarsPath: `${ROOT}.dev.vars`,
  logPath: `${ROOT}.wrangler/dev.log`,
  geo: DEMO_GEO,
});

const shutdown = async () => {
  await gateway.stop();
  await Promise.all(Object.values(sinks).map((sink) => sink.close()));
  process.exit(0);
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
