import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { startMetaSink, type RunningSink } from '../../sinks/index.ts';
import { DEMO_META_TOKEN_SECRET, DEMO_SITE_ID, demoKvEntries, demoSiteConfig, freePort, startGateway, type RunningGateway } from '../../local-stack/index.ts';

const POLICY_PATH = fileURLToPath(new URL('../../../consent/policies/example-global.json', import.meta.url));

export interface ConsentStack {
  gateway: RunningGateway;
  metaSink: RunningSink;
  pageUrl: string;
  stop(): Promise<void>;
}

/**
 * Meta sink + `wrangler dev` seeded with the demo site and a live consent policy (the shipped
 * example, optionally changed). `geo` stands in for Cloudflare's edge geo, which local workerd lacks.
 */
export async function startConsentStack(geo: string, change: (policy: Record<string, any>) => void = () => undefined): Promise<ConsentStack> {
  const policy = JSON.parse(readFileSync(POLICY_PATH, 'utf8')) as Record<string, any>;
  change(policy);
  const metaSink = await startMetaSink();
  const port = await freePort();
  const live = { version: 1, policyVersion: 'e2e-seeded', policy, updatedAt: Date.now() };
  const gateway = await startGateway({
    port,
    kv: [...demoKvEntries(port, demoSiteConfig(port)), { key: `policy:${DEMO_SITE_ID}`, value: JSON.stringify(live) }],
    vars: { META_API_BASE_URL: metaSink.url, [DEMO_META_TOKEN_SECRET]: 'demo-meta-token', GEO_OVERRIDE: geo },
  }).catch(async (error) => {
    await metaSink.close();
    throw error;
  });
  return {
    gateway,
    metaSink,
    pageUrl: `${gateway.url}/consent-e2e/`,
    async stop() {
      await gateway.stop();
      await metaSink.close();
    },
  };
}

let bundle: string | undefined;

/** The page script, bundled once per run. */
export async function pageBundle(): Promise<string> {
  if (bundle) return bundle;
  const result = await build({
    entryPoints: [fileURLToPath(new URL('./consent-page.ts', import.meta.url))],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  bundle = result.outputFiles[0]!.text;
  return bundle;
}

/**
 * Serves the test page at the gateway's origin (so `/v1/*` calls are first-party) with the IAB
 * `__tcfapi` stub inline and synchronous, as CMP docs require, before anything else runs.
 */
export async function openConsentPage(page: Page, stack: ConsentStack): Promise<void> {
  const script = await pageBundle();
  await page.route(`${stack.pageUrl}**`, (route) =>
    route.fulfill({
      contentType: 'text/html',
      body: `<!doctype html><html><head><script>
        (function () { var queue = []; window.__tcfapi = function () { if (!arguments.length) return queue; queue.push([].slice.call(arguments)); }; })();
      </script><script>${script.replace(/<\/script/g, '<\\/script')}</script></head><body>consent e2e</body></html>`,
    }),
  );
  await page.goto(stack.pageUrl);
}
