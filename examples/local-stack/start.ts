// `npm start`: the gateway in wrangler dev (workerd, local state in .wrangler/state) with the demo site seeded,
// a local Meta sink standing in for graph.facebook.com, and the URL to open.
import { existsSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { startMetaSink } from '../sinks/index.ts';
import { DEMO_META_TOKEN_SECRET, demoKvEntries } from './demo-site.ts';
import { startGateway } from './wrangler-dev.ts';
import { repoRoot } from './repo-root.ts';
import { printBanner } from './banner.ts';
import { assertPortFree } from './port-check.ts';
import { ensureDevVar, readDevVar } from './dev-vars.ts';
import { seedDemoPolicy } from './seed-demo-policy.ts';

const PORT = Number(process.env.PORT ?? 8787);
const META_SINK_PORT = Number(process.env.META_SINK_PORT ?? 9630);
const ROOT = `${repoRoot()}/`;
/** Stands in for Cloudflare's edge geo locally: the demo visitor is in the EEA, so the TCF banner decides. */
const DEMO_GEO = process.env.DEMO_GEO ?? 'DE';
await assertPortFree(PORT, 'PORT');
await assertPortFree(META_SINK_PORT, 'META_SINK_PORT');

// Secrets live in .dev.vars locally (git-ignored), never in code or KV.
if (!existsSync(`${ROOT}.dev.vars`)) {
  writeFileSync(
    `${ROOT}.dev.vars`,
    `${DEMO_META_TOKEN_SECRET}=local-demo-token\nADMIN_TOKEN=${randomBytes(24).toString('base64url')}\n`,
  );
  console.log('wrote .dev.vars with a demo Meta token and a fresh ADMIN_TOKEN');
}

ensureDevVar(`${ROOT}.dev.vars`, 'ADMIN_READONLY_TOKEN');

const sink = await startMetaSink(META_SINK_PORT);
const gateway = await startGateway({
  port: PORT,
  persistTo: `${ROOT}.wrangler/state`,
  kv: demoKvEntries(PORT),
  vars: { META_API_BASE_URL: sink.url, GEO_OVERRIDE: DEMO_GEO },
  logFile: `${ROOT}.wrangler/dev.log`,
});
await seedDemoPolicy(gateway.url, readDevVar(`${ROOT}.dev.vars`, 'ADMIN_TOKEN') ?? '');

let seen = 0;
setInterval(() => {
  for (const request of sink.received.slice(seen)) {
    const verdict = request.rejectedFor ? `REJECTED: ${request.rejectedFor.join('; ')}` : 'accepted';
    console.log(`[meta sink] ${request.method} ${request.path} ${verdict}\n${request.body}`);
  }
  seen = sink.received.length;
}, 500);

printBanner({
  gatewayUrl: gateway.url,
  sinks: [{ name: 'Meta', url: sink.url }],
  devVarsPath: `${ROOT}.dev.vars`,
  logPath: `${ROOT}.wrangler/dev.log`,
  geo: DEMO_GEO,
});

const shutdown = async () => {
  await gateway.stop();
  await sink.close();
  process.exit(0);
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
