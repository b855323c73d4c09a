import { ErrorCode } from '@sluice/protocol';
import { ApiError } from '../http/api-error.ts';
import { loadSiteByWriteKey } from '../site-config/load-site-config.ts';
import type { SiteConfig } from '../site-config/site-config.ts';
import type { Env } from '../env.ts';
import { secretsEqual } from '../admin/admin-token.ts';

const WRITE_KEY = /^[A-Za-z0-9_-]{8,128}$/;

/**
 * The write key travels in the query string (`?key=`), because `navigator.sendBeacon`
 * cannot set headers; `X-Sluice-Key` is accepted too for server-side senders (who also present
 * the site's source secret, see `sourceSecretOf`).
 */
export function writeKeyOf(request: Request): string {
  const key = new URL(request.url).searchParams.get('key') ?? request.headers.get('x-sluice-key');
  if (!key) throw new ApiError(401, ErrorCode.MissingWriteKey, 'write key missing: pass ?key=<write key>');
  if (!WRITE_KEY.test(key)) throw new ApiError(401, ErrorCode.UnknownWriteKey, 'unknown write key');
  return key;
}

/** Resolves the site a request belongs to, or throws 401. */
export async function authenticate(kv: KVNamespace, request: Request): Promise<SiteConfig> {
  const site = await loadSiteByWriteKey(kv, writeKeyOf(request));
  if (!site) throw new ApiError(401, ErrorCode.UnknownWriteKey, 'unknown write key');
  return site;
}

/** True when the page's origin is one the site allows. Browsers always send Origin on cross-site and beacon POSTs. */
export function isAllowedOrigin(site: SiteConfig, origin: string | null): origin is string {
  return origin !== null && site.allowedOrigins.some((allowed) => new URL(allowed).origin === origin);
}

/** The bearer credential a server-side sender presents, or null for browsers (which cannot send one without a preflight we never grant). */
export function sourceSecretOf(request: Request): string | null {
  const header = request.headers.get('authorization');
  if (header === null) return null;
  return header.startsWith('Bearer ') ? header.slice('Bearer '.length) : '';
}

/**
 * The server-side auth model: a write key is public (it ships in pages), so a sender without a
 * browser Origin must also prove it holds the site's source secret (`sourceSecret` names a worker
 * secret), compared in constant time. Throws 401 when the site has none or the secret is wrong.
 */
export async function verifySourceSecret(env: Env, site: SiteConfig, given: string): Promise<void> {
  const expected = site.sourceSecret === undefined ? undefined : env[site.sourceSecret];
  if (typeof expected !== 'string' || expected.length === 0 || !given || !(await secretsEqual(given, expected))) {
    throw new ApiError(401, ErrorCode.Unauthorized, 'source secret missing or wrong for this write key', { 'WWW-Authenticate': 'Bearer' });
  }
}
