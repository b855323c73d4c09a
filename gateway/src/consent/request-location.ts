import type { Location } from '@sluice/consent';
import { serverSourceLocation } from '../sources/relayed/index.ts';

/**
 * Where a request comes from, from Cloudflare's edge geo (`request.cf.country`, `regionCode`),
 * never from anything the client sends. `GEO_OVERRIDE` (e.g. "US-CA", "DE") exists for local
 * runs, where workerd has no real geo; production leaves it unset.
 */
export function requestLocation(request: Request, override?: unknown): Location {
  // An authenticated server source is never placed by its own edge geo (sources/relayed/).
  const server = serverSourceLocation(request);
  if (server) return server;
  if (typeof override === 'string' && /^[A-Z]{2}(-[A-Z0-9]{1,3})?$/.test(override)) {
    const [country, region] = override.split('-');
    return { country, region };
  }
  const cf = (request as Request & { cf?: { country?: unknown; regionCode?: unknown } }).cf;
  const country = typeof cf?.country === 'string' ? cf.country : undefined;
  const region = typeof cf?.regionCode === 'string' ? cf.regionCode : undefined;
  return { country, region };
}
