import { configDefaults, defineConfig } from 'vitest/config';
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-pool-workers';
import { createServer } from 'node:net';

/** A free loopback port, chosen here so the worker's vars and the sink's global setup agree on it. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * Three projects: `unit` (pure logic in Node), `worker` (the gateway inside workerd with its real
 * bindings from wrangler.toml), `e2e` (Chromium + `wrangler dev` + local conversion-API sinks).
 */
export default defineConfig(async () => {
  const migrations = await readD1Migrations('gateway/migrations');
  process.env.SLUICE_TEST_META_SINK_PORT ??= String(await freePort());
  const metaSinkUrl = `http://127.0.0.1:${process.env.SLUICE_TEST_META_SINK_PORT}`;
  // One local sink per conversion API (examples/sinks), started by gateway/test/global-setup.ts.
  process.env.SLUICE_TEST_GA4_SINK_PORT ??= String(await freePort());
  process.env.SLUICE_TEST_GOOGLE_ADS_SINK_PORT ??= String(await freePort());
  process.env.SLUICE_TEST_TIKTOK_SINK_PORT ??= String(await freePort());
  const sinkUrl = (name: string) => `http://127.0.0.1:${process.env[`SLUICE_TEST_${name}_SINK_PORT`]}`;
  const destinationTestBindings = {
    GA4_API_BASE_URL: sinkUrl('GA4'),
    GOOGLE_ADS_API_BASE_URL: sinkUrl('GOOGLE_ADS'),
    GOOGLE_OAUTH_BASE_URL: sinkUrl('GOOGLE_ADS'),
    TIKTOK_API_BASE_URL: sinkUrl('TIKTOK'),
    GA4_SECRET_TEST: 'test-ga4-api-secret',
    GA_USER_DELETION_API_BASE_URL: sinkUrl('GA4'),
    ADMIN_READONLY_TOKEN: 'test-readonly-token-9876543210',
    ADS_DEV_TOKEN_TEST: 'test-developer-token',
    ADS_CLIENT_ID_TEST: 'test-client-id',
    ADS_CLIENT_SECRET_TEST: 'test-client-secret',
    ADS_REFRESH_TOKEN_TEST: 'test-refresh-token',
    TIKTOK_TOKEN_TEST: 'test-tiktok-token',
    ADMIN_TOKEN: 'test-admin-token-0123456789',
  };
  return {
    test: {
      projects: [
        {
          test: {
            name: 'unit',
            environment: 'node',
            include: ['{protocol,consent,sdk,edge-models,examples,bench,privacy}/src/**/*.test.ts', 'gateway/src/**/*.node.test.ts', 'examples/sinks/**/*.test.ts'],
          },
        },
        {
          plugins: [
            cloudflareTest({
              wrangler: { configPath: './wrangler.toml' },
              miniflare: {
                bindings: {
                  TEST_MIGRATIONS: migrations,
                  META_TOKEN_TEST: 'test-meta-token',
                  META_API_BASE_URL: metaSinkUrl,
                  ...destinationTestBindings,
                },
              },
            }),
          ],
          test: {
            name: 'worker',
            include: ['gateway/**/*.test.ts'],
            // `*.node.test.ts` need Node (differential tests against vendors' Node packages): unit project.
            exclude: [...configDefaults.exclude, 'gateway/**/*.node.test.ts'],
            setupFiles: ['gateway/test/setup.ts'],
            // workerd tests share 2 cores with Chromium and wrangler in CI: allow for a loaded machine.
            testTimeout: 30_000,
            hookTimeout: 60_000,
            // The local sinks are shared by all files (one Node process); files that reset them or
            // inject failures must not interleave.
            fileParallelism: false,
            globalSetup: ['gateway/test/global-setup.ts'],
          },
        },
        {
          test: {
            name: 'e2e',
            environment: 'node',
            include: ['examples/e2e/**/*.test.ts'],
            testTimeout: 120_000,
            hookTimeout: 120_000,
            fileParallelism: false,
          },
        },
      ],
    },
  };
});
