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
