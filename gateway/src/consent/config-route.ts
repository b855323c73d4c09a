import { Hono } from 'hono';
import { policyView } from '@sluice/consent';
import type { Env } from '../env.ts';
import { siteOriginGuard, type SiteVariables } from '../http/site-origin-guard.ts';
import { loadLivePolicy } from './live-policy.ts';
import { defaultLivePolicy } from './default-policy.ts';
import { requestLocation } from './request-location.ts';

/** Browsers and CDNs may reuse the answer briefly; policy changes show up within a minute. */
export const CONFIG_MAX_AGE_SECONDS = 60;

/**
 * `GET /v1/config?key=<write key>`: what the SDK needs to gate in the browser — the policy view
 * for the visitor's jurisdiction (from edge geo), or `consent: null` when the site has no policy.
 */
export const configRoute = new Hono<{ Bindings: Env; Variables: SiteVariables }>()
  .use('*', siteOriginGuard({ allowMissingOrigin: true }))
  .get('/', async (c) => {
    const site = c.get('site');
    const own = await loadLivePolicy(c.env.CONFIG, site.id);
    // Without a policy of its own the site runs under the built-in default, and says so.
    const live = own ?? (await defaultLivePolicy(site));
    const consent = policyView(live.policy, live.policyVersion, requestLocation(c.req.raw, c.env.GEO_OVERRIDE), Object.keys(site.destinations));
    c.header('Cache-Control', `private, max-age=${CONFIG_MAX_AGE_SECONDS}`);
    return c.json({ siteId: site.id, destinations: Object.keys(site.destinations), consent, policySource: own ? 'site' : 'default' });
  });
