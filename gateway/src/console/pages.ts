import type { ConsolePage } from './console-page.ts';
import { deliveryPage } from './pages/delivery-page.tsx';
import { consentPage } from './pages/consent-page.tsx';
import { policyPage } from './pages/policy-page.tsx';

/**
 * The console's pages, in navigation order. A new page is one file in `pages/` exporting a
 * `ConsolePage` and one line here. Still to come, with their capabilities:
 * - `experiments` (edge bandits): arms, allocation, posterior means with 95 % intervals, pause/stop;
 * - `models` (on-device personalization): versions, canary share, shadow agreement, rollback;
 * - `privacy` (reports and data rights): budget used and left, releases, plan violations, deletions.
 * Marketing numbers (conversions per campaign, revenue, segments) must come through the DP report
 * API only (`gateway/src/reports/`), never from a direct query of the delivery or audit tables here.
 */
export const CONSOLE_PAGES: ConsolePage[] = [deliveryPage, consentPage, policyPage];
