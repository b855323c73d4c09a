// `npm start`: the gateway in wrangler dev (workerd, local state in .wrangler/state) with the demo site seeded,
// a local Meta sink standing in for graph.facebook.com, and the URL to open.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { startMetaSink } from '../sinks/index.ts';
import { DEMO_META_TOKEN_SECRET, demoKvEntries } from './demo-site.ts';
import { startGateway } from './wrangler-dev.ts';
import { repoRoot } from './repo-root.ts';
import { publishModels } from './publish-models.ts';

const PORT = Number(process.env.PORT ?? 8787);
const META_SINK_PORT = Number(process.env.META_SINK_PORT ?? 9630);
const ROOT = `${repoRoot()}/`;

// Secrets live in .dev.vars locally (git-ignored), never in code or KV.
if (!existsSync(`${ROOT}.dev.vars`)) {
  writeFileSync(
    `${ROOT}.dev.vars`,
    `${DEMO_META_TOKEN_SECRET}=local-demo-token\nADMIN_TOKEN=${randomBytes(24).toString('base64url')}\n`,
  );
  console.log('wrote .dev.vars with a demo Meta token and a fresh ADMIN_TOKEN');
}

const sink = await startMetaSink(META_SINK_PORT);
const gateway = await startGateway({
  port: PORT,
  persistTo: `${ROOT}.wrangler/state`,
  kv: demoKvEntries(PORT),
  vars: { META_API_BASE_URL: sink.url },
  inheritOutput: true,
});

// The committed on-device models (edge-models/models), published and live, for the demo's "For you" list.
const adminToken = /^ADMIN_TOKEN=(.+)$/m.exec(readFileSync(`${ROOT}.dev.vars`, 'utf8'))?.[1];
if (adminToken) await publishModels(gateway.url, adminToken).catch((error) => console.warn(`models not published: ${error.message}`));

let seen = 0;
setInterval(() => {
  for (const request of sink.received.slice(seen)) {
    const verdict = request.rejectedFor ? `REJECTED: ${request.rejectedFor.join('; ')}` : 'accepted';
    console.log(`[meta sink] ${request.method} ${request.path} ${verdict}\n${request.body}`);
  }
  seen = sink.received.length;
}, 500);

console.log(`
  Sluice is running.
  Demo shop:        ${gateway.url}/demo/
  Gateway health:   ${gateway.url}/healthz
  SDK (first-party) ${gateway.url}/sdk.js
  Local Meta sink:  ${sink.url}/_sink/received   (what would have been sent to Meta; printed below as it arrives)
  Press Ctrl+C to stop.
`);

const shutdown = async () => {
  await gateway.stop();
  await sink.close();
  process.exit(0);
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
