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
  return {
    test: {
      projects: [
        {
          test: {
            name: 'unit',
            environment: 'node',
            include: ['{protocol,consent,sdk,edge-models,examples,bench}/src/**/*.test.ts', 'gateway/src/**/*.node.test.ts'],
          },
        },
        {
          plugins: [
            cloudflareTest({
              wrangler: { configPath: './wrangler.toml' },
              miniflare: {
                bindings: { TEST_MIGRATIONS: migrations, META_TOKEN_TEST: 'test-meta-token', META_API_BASE_URL: metaSinkUrl },
              },
            }),
          ],
          test: {
            name: 'worker',
            include: ['gateway/**/*.test.ts'],
            // `*.node.test.ts` need Node (differential tests against vendors' Node packages): unit project.
            exclude: [...configDefaults.exclude, 'gateway/**/*.node.test.ts'],
            setupFiles: ['gateway/test/setup.ts'],
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
