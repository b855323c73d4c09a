import type { MiddlewareHandler } from 'hono';
import { ErrorCode } from '@sluice/protocol';
import type { Env } from '../env.ts';
import { authenticate, isAllowedOrigin, sourceSecretOf, verifySourceSecret } from '../ingest/authenticate.ts';
import type { SiteConfig } from '../site-config/site-config.ts';
import { ApiError } from './api-error.ts';
import { preflight, setCorsHeaders } from './site-cors.ts';
import { markServerSource } from '../sources/relayed/index.ts';

/** Routes behind the guard find the authenticated site here. */
export type SiteVariables = { site: SiteConfig };

export interface SiteOriginGuardOptions {
  /** Let requests without an Origin header through (a same-origin GET sends none). Default false. */
  allowMissingOrigin?: boolean;
}

/**
 * For site endpoints: write key → site (401). Browsers: the page origin must be one the site
 * allows (403), preflights answered here, CORS granted to that origin only. Server-side senders
 * present `Authorization: Bearer <source secret>` instead of an Origin (401 when wrong).
 */
export function siteOriginGuard(options: SiteOriginGuardOptions = {}): MiddlewareHandler<{ Bindings: Env; Variables: SiteVariables }> {
  return async function siteOriginGuard(c, next) {
    const site = await authenticate(c.env.CONFIG, c.req.raw);
    // Server-side senders: write key + source secret, no Origin check and no CORS grant.
    const secret = c.req.method === 'OPTIONS' ? null : sourceSecretOf(c.req.raw);
    if (secret !== null) {
      await verifySourceSecret(c.env, site, secret);
      // Its events relay their end users' IP and location; the server's own are not theirs (sources/relayed/).
      markServerSource(c.req.raw, site);
      c.set('site', site);
      return next();
    }
    const origin = c.req.header('origin') ?? null;
    if (origin === null && options.allowMissingOrigin && c.req.method !== 'OPTIONS') {
      c.set('site', site);
      return next();
    }
    if (!isAllowedOrigin(site, origin)) {
      throw new ApiError(403, ErrorCode.OriginNotAllowed, 'origin is not allowed for this write key');
    }
    if (c.req.method === 'OPTIONS') return preflight(c, origin);
    setCorsHeaders(c, origin);
    c.set('site', site);
    await next();
  };
}
