/** Shared by `npm start` and the e2e tests: a local gateway (wrangler dev), local sinks, Chromium. */
export { startGateway, type RunningGateway, type GatewayOptions } from './wrangler-dev.ts';
export { launchChromium, chromiumPath, CHROMIUM_ARGS } from './chromium.ts';
export { freePort } from './free-port.ts';
export * from './demo-site.ts';
export { publishModels } from './publish-models.ts';
