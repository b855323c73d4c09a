/** What `npm start` is running, for the banner. */
export interface BannerInfo {
  gatewayUrl: string;
  sinks: Array<{ name: string; url: string }>;
  /** Where the admin token lives (`.dev.vars`). */
  devVarsPath: string;
  /** Where wrangler's own output goes. */
  logPath: string;
  geo: string;
}

/** The short banner `npm start` prints once everything answers. */
export function bannerText(info: BannerInfo): string {
  const pad = (s: string) => s.padEnd(16);
  return [
    '',
    '  Sluice is running.',
    `  ${pad('Demo shop')}${info.gatewayUrl}/demo/`,
    `  ${pad('Console')}${info.gatewayUrl}/console   (sign in with ADMIN_TOKEN or ADMIN_READONLY_TOKEN)`,
    `  ${pad('Admin token')}${info.devVarsPath}   (ADMIN_TOKEN=…)`,
    ...info.sinks.map((s) => `  ${pad(`${s.name} sink`)}${s.url}/_sink/received`),
    `  ${pad('Metrics')}${info.gatewayUrl}/metrics   (Bearer ADMIN_READONLY_TOKEN)`,
    `  ${pad('Visitor geo')}${info.geo}   (DEMO_GEO=US-CA npm start to try another jurisdiction)`,
    `  ${pad('Gateway log')}${info.logPath}`,
    '  Ports: PORT (gateway, 8787), META_SINK_PORT (9630), GA4_SINK_PORT (9631), GOOGLE_ADS_SINK_PORT (9632), TIKTOK_SINK_PORT (9633). Ctrl+C stops.',
    '',
  ].join('\n');
}

export function printBanner(info: BannerInfo): void {
  console.log(bannerText(info));
}
