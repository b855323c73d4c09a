import type { Location } from '@sluice/consent';
import type { SiteConfig } from '../../site-config/site-config.ts';

/** What ingest knows about one authenticated server-source request. */
export interface ServerSource {
  /** The site's `serverSourceLocation` (for events that relay none), or undefined: unknown, read strictly. */
  fallback: Location | undefined;
  /** Per event id: what the sending server relayed about its end user (raw; lives only with the request). */
  relayed: Map<string, RelayedFacts>;
}

/** The end user's facts a server relayed in an event's payload (`context.ip`, `context.userAgent`, `context.location`). */
export interface RelayedFacts {
  ip?: string | undefined;
  location?: Location | undefined;
}

// Keyed by the request object itself: the entry lives exactly as long as the request, and nothing
// the client sends can name it.
const sources = new WeakMap<Request, ServerSource>();

/**
 * Marks a request as an authenticated server source (write key + source secret, no browser Origin),
 * so that ingest takes its end users' IP, user agent and location from the payload and never from
 * the sending server's connection. Called by the auth paths (`siteOriginGuard`, `segmentSite`) right
 * after the secret checked out.
 * @example await verifySourceSecret(env, site, secret); markServerSource(c.req.raw, site);
 */
export function markServerSource(request: Request, site: Pick<SiteConfig, 'serverSourceLocation'>): void {
  if (sources.has(request)) return;
  sources.set(request, { fallback: parseLocation(site.serverSourceLocation), relayed: new Map() });
}

/**
 * The server-source state of a request, or undefined for browsers and anything unauthenticated.
 * @example serverSourceOf(c.req.raw)?.relayed.get(eventId)?.ip
 */
export function serverSourceOf(request: Request): ServerSource | undefined {
  return sources.get(request);
}

/** `"US-CA"` → `{ country: 'US', region: 'CA' }`, `"DE"` → `{ country: 'DE' }`. */
function parseLocation(code: string | undefined): Location | undefined {
  if (!code) return undefined;
  const [country, region] = code.toUpperCase().split('-');
  return region ? { country, region } : { country };
}
