/**
 * Data minimization shared by ingest and the data-rights tooling: personal data in URLs, secrets in log lines.
 * @example
 * import { scrubUrl } from '../minimize/index.ts';
 * scrubUrl('https://shop.example/?email=j%40x.io') // 'https://shop.example/'
 */
export { DEFAULT_URL_RULES, type UrlRules } from './url-rules.ts';
export { scrubUrl } from './scrub-url.ts';
export { scrubEventUrls } from './scrub-event-urls.ts';
export { redactSecrets, SECRET_KEYS } from './redact-secrets.ts';
export { DEFAULT_MINIMIZATION, CLICK_ID_PARAMS, minimizationRules, type MinimizationRules, type SiteMinimization } from './minimization-rules.ts';
export { minimizeEvent, minimizeEvents, minimizeIp, minimizeFacts } from './minimize-event.ts';
export { scrubProperties } from './scrub-properties.ts';
export { scrubText } from './scrub-text.ts';
export { generalizeUserAgent } from './generalize-user-agent.ts';
