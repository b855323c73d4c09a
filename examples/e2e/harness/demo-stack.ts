import { startMetaSink, type RunningSink } from '../../sinks/index.ts';
import {
  DEMO_META_TOKEN_SECRET,
  demoKvEntries,
  demoSiteConfig,
  freePort,
  startGateway,
  type RunningGateway,
} from '../../local-stack/index.ts';

/** The admin token of the e2e gateway (a `--var`, as `.dev.vars` would give it locally). */
export const E2E_ADMIN_TOKEN = 'e2e-admin-token-0123456789';

export interface DemoStack {
  gateway: RunningGateway;
  metaSink: RunningSink;
  /** The demo shop page, served first-party by the gateway. */
  shopUrl: string;
  stop(): Promise<void>;
}

/** A demo-site config for the port, optionally changed by the test (e.g. a consent policy). */
export type SiteOverride = (site: ReturnType<typeof demoSiteConfig>) => object;

/** Local Meta sink + `wrangler dev` seeded with the demo site, its Meta destination pointing at the sink. */
export async function startDemoStack(override: SiteOverride = (s) => s): Promise<DemoStack> {
  const metaSink = await startMetaSink();
  const port = await freePort();
  const site = override(demoSiteConfig(port)) as { id: string };
  let gateway: RunningGateway;
  try {
    gateway = await startGateway({
      port,
      kv: demoKvEntries(port, site),
      vars: { META_API_BASE_URL: metaSink.url, [DEMO_META_TOKEN_SECRET]: 'demo-meta-token', ADMIN_TOKEN: E2E_ADMIN_TOKEN },
    });
  } catch (error) {
    await metaSink.close();
    throw error;
  }
  return {
    gateway,
    metaSink,
    shopUrl: `${gateway.url}/demo/`,
    async stop() {
      await gateway.stop();
      await metaSink.close();
    },
  };
}
