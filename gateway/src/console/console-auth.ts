import { secretsEqual } from '../admin/admin-token.ts';
import type { Env } from '../env.ts';

/** Who is looking: the admin token may change things, the read-only token may only look. */
export type ConsoleRole = 'admin' | 'readonly';

/** Session cookie of the console: HttpOnly, SameSite=Strict, scoped to `/console`. */
export const CONSOLE_COOKIE = 'sluice_console';

/**
 * The session value the cookie holds for a token: HMAC-SHA256 keyed by the token, so the cookie never
 * carries the token itself (which also opens the admin API) and rotating the token ends every session.
 */
export async function sessionValue(token: string): Promise<string> {
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(token), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode('sluice-console-session-v1')));
  return btoa(String.fromCharCode(...mac)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** What a request presents: a Bearer token (the secret itself), else the console cookie (its session value). */
export type Credential = { bearer: string } | { session: string };

/**
 * The role a credential grants: `ADMIN_TOKEN` → admin, `ADMIN_READONLY_TOKEN` → readonly, else null.
 * Both are compared in constant time, always both, so timing does not tell which one matched.
 *
 * @example await consoleRole(env, { bearer }) // 'readonly'
 */
export async function consoleRole(env: Env, given: Credential | undefined): Promise<ConsoleRole | null> {
  if (!given) return null;
  const check = async (secret: unknown) => {
    if (typeof secret !== 'string' || !secret) return false;
    return 'bearer' in given ? secretsEqual(given.bearer, secret) : secretsEqual(given.session, await sessionValue(secret));
  };
  const [admin, readonly] = await Promise.all([check(env.ADMIN_TOKEN), check(env.ADMIN_READONLY_TOKEN)]);
  return admin ? 'admin' : readonly ? 'readonly' : null;
}

/** The credential a request carries: `Authorization: Bearer …` first, else the console cookie. */
export function presentedCredential(request: Request): Credential | undefined {
  const header = request.headers.get('authorization') ?? '';
  if (header.startsWith('Bearer ')) {
    const bearer = header.slice('Bearer '.length);
    return bearer ? { bearer } : undefined;
  }
  const cookie = request.headers.get('cookie') ?? '';
  for (const part of cookie.split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === CONSOLE_COOKIE) {
      const session = rest.join('=');
      return /^[\w-]{43}$/.test(session) ? { session } : undefined;
    }
  }
  return undefined;
}

/** `Set-Cookie` for a signed-in console (Secure when served over https, as in production). */
export async function sessionCookie(token: string, secure: boolean): Promise<string> {
  return `${CONSOLE_COOKIE}=${await sessionValue(token)}; Path=/console; HttpOnly; SameSite=Strict; Max-Age=43200${secure ? '; Secure' : ''}`;
}

export function clearedCookie(): string {
  return `${CONSOLE_COOKIE}=; Path=/console; HttpOnly; SameSite=Strict; Max-Age=0`;
}

/**
 * Form posts must come from the console itself: a browser sends `Origin` on every POST, and a
 * foreign one (or `Sec-Fetch-Site: cross-site`) is refused, on top of the SameSite=Strict cookie.
 */
export function isSameOrigin(request: Request): boolean {
  const origin = request.headers.get('origin');
  const site = request.headers.get('sec-fetch-site');
  if (site && site !== 'same-origin' && site !== 'none') return false;
  return !origin || origin === new URL(request.url).origin;
}
