import type { MiddlewareHandler } from 'hono';
import { ErrorCode } from '@sluice/protocol';
import { SITE_ID_PATTERN } from '../site-config/site-config.ts';
import { ApiError } from './api-error.ts';

/**
 * Rejects a `:site` path parameter outside the site id charset and length with 400 `invalid_id`,
 * before it reaches KV (whose 512-byte key limit would otherwise fail as a 500) or D1.
 */
export function validSiteId(): MiddlewareHandler {
  return async function validSiteId(c, next) {
    const id = c.req.param('site');
    if (id === undefined || !SITE_ID_PATTERN.test(id)) {
      throw new ApiError(400, ErrorCode.InvalidId, 'site id must be 1-63 lowercase letters, digits or dashes');
    }
    await next();
  };
}
