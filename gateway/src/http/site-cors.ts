import type { Context } from 'hono';

/** Browsers may cache a preflight answer this long (Chromium caps it at 2 h). */
export const PREFLIGHT_MAX_AGE_SECONDS = 7200;

/** CORS headers for one allowed origin; credentials on so the first-party id cookie can be set. */
export function setCorsHeaders(c: Context, origin: string): void {
  c.header('Access-Control-Allow-Origin', origin);
  c.header('Access-Control-Allow-Credentials', 'true');
  c.header('Vary', 'Origin', { append: true });
}

/** The answer to a preflight from an allowed origin. */
export function preflight(c: Context, origin: string): Response {
  setCorsHeaders(c, origin);
  c.header('Access-Control-Allow-Methods', 'POST, OPTIONS');
  c.header('Access-Control-Allow-Headers', 'Content-Type, X-Sluice-Key');
  c.header('Access-Control-Max-Age', String(PREFLIGHT_MAX_AGE_SECONDS));
  return c.body(null, 204);
}
