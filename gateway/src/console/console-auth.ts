import { secretsEqual } from '../admin/admin-token.ts';
import type { Env } from '../env.ts';

/** Who is looking: the admin token may change things, the read-only token may only look. */
export type ConsoleRole = 'admin' | 'readonly';

/** Session cookie of the console: HttpOnly, SameSite=Strict, scoped to `/console`. */
export const CONSOLE_COOKIE = 'sluice_console';

/**
 * The role a token grants: `ADMIN_TOKEN` → admin, `ADMIN_READONLY_TOKEN` → readonly, else null.
 * Both are compared in constant time, always both, so timing does not tell which one matched.
 *
 * @example await consoleRole(env, bearer) // 'readonly'
 */
export async function consoleRole(env: Env, given: string | undefined): Promise<ConsoleRole | null> {
  if (!given) return null;
  const admin = typeof env.ADMIN_TOKEN === 'string' && env.ADMIN_TOKEN ? await secretsEqual(given, env.ADMIN_TOKEN) : false;
  const ro = env.ADMIN_READONLY_TOKEN;
  const readonly = typeof ro === 'string' && ro ? await secretsEqual(given, ro) : false;
  return admin ? 'admin' : readonly ? 'readonly' : null;
}

/** The token a request carries: `Authorization: Bearer …` first, else the console cookie. */
export function presentedToken(request: Request): string | undefined {
  const header = request.headers.get('authorization') ?? '';
  if (header.startsWith('Bearer ')) return header.slice('Bearer '.length) || undefined;
  const cookie = request.headers.get('cookie') ?? '';
  for (const part of cookie.split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === CONSOLE_COOKIE) {
      try {
        return decodeURIComponent(rest.join('=')) || undefined;
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/** `Set-Cookie` for a signed-in console (Secure when served over https, as in production). */
export function sessionCookie(token: string, secure: boolean): string {
  return `${CONSOLE_COOKIE}=${encodeURIComponent(token)}; Path=/console; HttpOnly; SameSite=Strict; Max-Age=43200${secure ? '; Secure' : ''}`;
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
