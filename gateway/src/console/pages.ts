import type { ConsolePage } from './console-page.ts';
import { deliveryPage } from './pages/delivery-page.tsx';
import { consentPage } from './pages/consent-page.tsx';
import { policyPage } from './pages/policy-page.tsx';
import { experimentsPage } from './pages/experiments-page.tsx';
import { modelsPage } from './pages/models-page.tsx';
import { privacyPage } from './pages/privacy-page.tsx';

/**
 * The console's pages, in navigation order. A new page is one file in `pages/` exporting a
 * `ConsolePage` and one line here.
 * Marketing numbers (conversions per campaign, revenue, segments) must come through the DP report
 * API only (`gateway/src/reports/`), never from a direct query of the delivery or audit tables here.
 */
export const CONSOLE_PAGES: ConsolePage[] = [deliveryPage, consentPage, policyPage, experimentsPage, modelsPage, privacyPage];
