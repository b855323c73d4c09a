/** What e2e tests need: the demo stack (sinks + wrangler dev) and Chromium. */
export { startDemoStack, E2E_ADMIN_TOKEN, E2E_READONLY_TOKEN, type DemoStack, type DemoStackOptions, type SiteOverride } from './demo-stack.ts';
export { launchChromium, freePort, startGateway, DEMO_WRITE_KEY, DEMO_SITE_ID } from '../../local-stack/index.ts';
export { startMetaSink, startSink, type RunningSink, type ReceivedRequest } from '../../sinks/index.ts';
