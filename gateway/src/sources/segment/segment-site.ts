import type { Context } from 'hono';
import { ErrorCode } from '@sluice/protocol';
import type { Env } from '../../env.ts';
import { ApiError } from '../../http/api-error.ts';
import { setCorsHeaders } from '../../http/site-cors.ts';
import type { SiteVariables } from '../../http/site-origin-guard.ts';
import { isAllowedOrigin, verifySourceSecret } from '../../ingest/authenticate.ts';
import { loadSiteByWriteKey } from '../../site-config/load-site-config.ts';
import type { SiteConfig } from '../../site-config/site-config.ts';
import { segmentCredentials } from './segment-credentials.ts';
import { markServerSource } from '../relayed/index.ts';

const WRITE_KEY = /^[A-Za-z0-9_-]{8,128}$/;

/**
 * The site a Segment-shaped request belongs to, under Sluice's auth model: the write key (Basic user
 * or body) names the site (401 when unknown); a request with a source secret must hold the site's
 * (server sources, no Origin); a request without one must come from a page origin the site allows
 * (403), and gets CORS for that origin only.
 */
export async function segmentSite(c: Context<{ Bindings: Env; Variables: SiteVariables }>, bodyWriteKey: unknown): Promise<SiteConfig> {
  const credentials = segmentCredentials(c.req.header('authorization') ?? null, bodyWriteKey);
  if (!credentials) {
    throw new ApiError(401, ErrorCode.MissingWriteKey, 'write key missing: send it as the HTTP Basic user or as "writeKey"', { 'WWW-Authenticate': 'Basic' });
  }
  const site = WRITE_KEY.test(credentials.writeKey) ? await loadSiteByWriteKey(c.env.CONFIG, credentials.writeKey) : null;
  if (!site) throw new ApiError(401, ErrorCode.UnknownWriteKey, 'unknown write key');
  if (credentials.sourceSecret !== undefined) {
    await verifySourceSecret(c.env, site, credentials.sourceSecret);
    markServerSource(c.req.raw, site);
    return site;
  }
  const origin = c.req.header('origin') ?? null;
  if (origin === null) {
    throw new ApiError(401, ErrorCode.Unauthorized, 'server-side sources send "<write key>:<source secret>" as their write key', { 'WWW-Authenticate': 'Basic' });
  }
  if (!isAllowedOrigin(site, origin)) throw new ApiError(403, ErrorCode.OriginNotAllowed, 'origin is not allowed for this write key');
  setCorsHeaders(c, origin);
  return site;
}
