import { startMetaSink, type RunningSink } from '../../sinks/index.ts';
import {
  DEMO_META_TOKEN_SECRET,
  demoKvEntries,
  demoSiteConfig,
  freePort,
  startGateway,
  type RunningGateway,
} from '../../local-stack/index.ts';
import { seedDemoPolicy } from '../../local-stack/seed-demo-policy.ts';

/** The admin token of the e2e gateway (a `--var`, as `.dev.vars` would give it locally). */
export const E2E_ADMIN_TOKEN = 'e2e-admin-token-0123456789';
/** The console's read-only token of the e2e gateway. */
export const E2E_READONLY_TOKEN = 'e2e-readonly-token-0123456789';

export interface DemoStack {
  gateway: RunningGateway;
  metaSink: RunningSink;
  /** The demo shop page, served first-party by the gateway. */
  shopUrl: string;
  stop(): Promise<void>;
}

/** A demo-site config for the port, optionally changed by the test (e.g. a consent policy). */
export type SiteOverride = (site: ReturnType<typeof demoSiteConfig>) => object;

export interface DemoStackOptions {
  /** Make the example consent policy live for the demo site, as `npm start` does. */
  policy?: boolean;
  /** Visitor geo (`GEO_OVERRIDE`), e.g. `DE` as in `npm start`. */
  geo?: string;
  /** Extra vars and secrets. */
  vars?: Record<string, string>;
  /** Local state directory (a fresh temporary one by default). */
  persistTo?: string;
}

/** Local Meta sink + `wrangler dev` seeded with the demo site, its Meta destination pointing at the sink. */
export async function startDemoStack(override: SiteOverride = (s) => s, options: DemoStackOptions = {}): Promise<DemoStack> {
  const metaSink = await startMetaSink();
  const port = await freePort();
  const site = override(demoSiteConfig(port)) as { id: string };
  let gateway: RunningGateway | undefined;
  try {
    gateway = await startGateway({
      port,
      kv: demoKvEntries(port, site),
      ...(options.persistTo && { persistTo: options.persistTo }),
      vars: {
        META_API_BASE_URL: metaSink.url,
        [DEMO_META_TOKEN_SECRET]: 'demo-meta-token',
        ADMIN_TOKEN: E2E_ADMIN_TOKEN,
        ADMIN_READONLY_TOKEN: E2E_READONLY_TOKEN,
        ...(options.geo && { GEO_OVERRIDE: options.geo }),
        ...options.vars,
      },
    });
    if (options.policy) await seedDemoPolicy(gateway.url, E2E_ADMIN_TOKEN);
  } catch (error) {
    await gateway?.stop();
    await metaSink.close();
    throw error;
  }
  const running = gateway;
  return {
    gateway: running,
    metaSink,
    shopUrl: `${gateway.url}/demo/`,
    async stop() {
      await running.stop();
      await metaSink.close();
    },
  };
}
