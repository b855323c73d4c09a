import type { MiddlewareHandler } from 'hono';
import { ErrorCode } from '@sluice/protocol';
import type { Env } from '../env.ts';
import { ApiError } from '../http/api-error.ts';

/**
 * Compares two secrets in constant time: both are SHA-256-hashed first, so neither their
 * content nor their length shows in the timing.
 */
export async function secretsEqual(given: string, expected: string): Promise<boolean> {
  const encode = (s: string) => crypto.subtle.digest('SHA-256', new TextEncoder().encode(s));
  const [a, b] = await Promise.all([encode(given), encode(expected)]);
  return crypto.subtle.timingSafeEqual(a, b);
}

/** Admin routes need `Authorization: Bearer <ADMIN_TOKEN>`; without the secret set, the admin API is closed. */
export function requireAdminToken(): MiddlewareHandler<{ Bindings: Env }> {
  return async function adminToken(c, next) {
    const expected = c.env.ADMIN_TOKEN;
    const header = c.req.header('authorization') ?? '';
    const given = header.startsWith('Bearer ') ? header.slice('Bearer '.length) : '';
    if (typeof expected !== 'string' || !expected || !given || !(await secretsEqual(given, expected))) {
      throw new ApiError(401, ErrorCode.Unauthorized, 'admin token missing or wrong', { 'WWW-Authenticate': 'Bearer' });
    }
    await next();
  };
}
