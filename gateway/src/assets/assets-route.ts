import { Hono } from 'hono';
import type { Env } from '../env.ts';

/** Versioned SDK files never change: a year, immutable (RFC 8246). */
export const IMMUTABLE_CACHE = 'public, max-age=31536000, immutable';
/** The latest-version aliases (/sdk.js) pick up releases within 5 minutes; stale copies serve while revalidating. */
export const LATEST_CACHE = 'public, max-age=300, stale-while-revalidate=86400';

/**
 * First-party static files from the Workers assets binding: the SDK at /sdk.js and
 * /sdk/<version>/ (with its lazy chunks and an SRI manifest), and the demo shop in development.
 */
export const assetsRoute = new Hono<{ Bindings: Env }>().get('*', async (c, next) => {
  const response = await c.env.ASSETS.fetch(c.req.raw);
  if (response.status === 404) return next();
  const cache = cacheControlFor(new URL(c.req.url).pathname);
  if (!cache) return response;
  const headed = new Response(response.body, response);
  headed.headers.set('Cache-Control', cache);
  // Chunks are loaded with import(), which fetches in CORS mode, from the site's own pages.
  headed.headers.set('Access-Control-Allow-Origin', '*');
  return headed;
});

function cacheControlFor(path: string): string | undefined {
  if (/^\/sdk\/\d+\.\d+\.\d+[^/]*\/[\w.-]+\.js$/.test(path)) return IMMUTABLE_CACHE;
  if (path === '/sdk.js' || path === '/sdk.esm.js' || path === '/sdk/manifest.json') return LATEST_CACHE;
  return undefined;
}
