/** The console at `/console`: routes, the page contract and registry, auth helpers. See README.md. */
export { consoleRoute } from './console-route.tsx';
export { CONSOLE_PAGES } from './pages.ts';
export type { ConsolePage, PageContext, ActionResult } from './console-page.ts';
export { consoleRole, presentedCredential, sessionValue, CONSOLE_COOKIE, type ConsoleRole, type Credential } from './console-auth.ts';
export { TimeChart, type ChartSeries, type TimeChartProps } from './time-chart.tsx';
export { timeWindow, alignSeries, WINDOWS, type TimeWindow, type WindowKey } from './time-window.ts';
export { lineDiff, type DiffLine } from './line-diff.ts';
