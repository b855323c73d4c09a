// One init + one track per library, written the way each library's docs show it. `ENDPOINT` is
// replaced with the local collector's URL; `window.benchLib` is what the runtime bench drives.

/** Sluice is built from source here (size) or served as the shipped file (runtime). */
export const SLUICE_VERSION = '0.1.0';

export const libraries = {
  sluice: {
    size: `import { init, track } from '../../sdk/src/index.ts';
      init({ endpoint: 'ENDPOINT', writeKey: 'wk_bench_0001' });
      track('Signed Up', { plan: 'pro' });`,
  },
  '@snowplow/browser-tracker': {
    size: `import { newTracker, trackSelfDescribingEvent } from '@snowplow/browser-tracker';
      newTracker('sp', 'ENDPOINT', { appId: 'bench' });
      trackSelfDescribingEvent({ event: { schema: 'iglu:com.acme/signed_up/jsonschema/1-0-0', data: { plan: 'pro' } } });`,
    runtime: `import { newTracker, trackSelfDescribingEvent } from '@snowplow/browser-tracker';
      window.benchLib = {
        init: (url) => newTracker('sp', url, { appId: 'bench', eventMethod: 'post', bufferSize: 20 }),
        track: (marker) => trackSelfDescribingEvent({ event: { schema: 'iglu:com.acme/signed_up/jsonschema/1-0-0', data: { marker } } }),
      };`,
  },
  'posthog-js-lite': {
    size: `import PostHog from 'posthog-js-lite';
      const posthog = new PostHog('phc_bench', { host: 'ENDPOINT' });
      posthog.capture('Signed Up', { plan: 'pro' });`,
    runtime: `import PostHog from 'posthog-js-lite';
      let posthog;
      window.benchLib = {
        init: (url) => { posthog = new PostHog('phc_bench', { host: url, flushAt: 20 }); },
        track: (marker) => posthog.capture('Signed Up', { marker }),
      };`,
  },
  '@jitsu/js': {
    size: `import { jitsuAnalytics } from '@jitsu/js';
      const analytics = jitsuAnalytics({ host: 'ENDPOINT', writeKey: 'wk' });
      analytics.track('Signed Up', { plan: 'pro' });`,
    runtime: `import { jitsuAnalytics } from '@jitsu/js';
      let analytics;
      window.benchLib = {
        init: (url) => { analytics = jitsuAnalytics({ host: url, writeKey: 'wk' }); },
        track: (marker) => analytics.track('Signed Up', { marker }),
      };`,
  },
  '@segment/analytics-next': {
    size: `import { AnalyticsBrowser } from '@segment/analytics-next';
      const analytics = AnalyticsBrowser.load({ writeKey: 'wk', cdnURL: 'ENDPOINT' });
      analytics.track('Signed Up', { plan: 'pro' });`,
    // Delivers to Sluice itself: apiHost is the gateway's Segment-compatible API, settings inline (no vendor CDN).
    runtime: `import { AnalyticsBrowser } from '@segment/analytics-next';
      let analytics;
      window.benchLib = {
        init: (url) => {
          const apiHost = url.replace(/^https?:\\/\\//, '') + '/segment/v1';
          analytics = AnalyticsBrowser.load(
            { writeKey: 'wk_bench_0001', cdnSettings: { integrations: { 'Segment.io': { apiKey: 'wk_bench_0001', apiHost, protocol: 'http' } }, remotePlugins: [] } },
            { integrations: { 'Segment.io': { apiHost, protocol: 'http' } } },
          );
        },
        track: (marker) => analytics.track('Signed Up', { marker }),
      };`,
  },
  '@rudderstack/analytics-js': {
    size: `import { RudderAnalytics } from '@rudderstack/analytics-js';
      const analytics = new RudderAnalytics();
      analytics.load('wk', 'ENDPOINT');
      analytics.track('Signed Up', { plan: 'pro' });`,
    // Delivers to Sluice itself: the bundled build (plugins included, no plugin CDN), the source
    // config from the bench collector, the data plane at the gateway's Segment-compatible API.
    runtime: `import { RudderAnalytics } from '@rudderstack/analytics-js/bundled';
      const analytics = new RudderAnalytics();
      window.benchLib = {
        init: (url) => analytics.load('wk_bench_0001', url + '/segment', { configUrl: url, logLevel: 'ERROR' }),
        track: (marker) => analytics.track('Signed Up', { marker }),
      };`,
  },
};
