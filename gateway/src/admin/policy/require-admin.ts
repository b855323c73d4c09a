import type { MiddlewareHandler } from 'hono';
import { ErrorCode } from '@sluice/protocol';
import type { Env } from '../../env.ts';
import { ApiError } from '../../http/api-error.ts';

/**
 * `Authorization: Bearer <ADMIN_TOKEN>`. Both sides are SHA-256-hashed first so the
 * constant-time compare sees equal lengths and leaks neither the token nor its length.
 */
export function requireAdmin(): MiddlewareHandler<{ Bindings: Env }> {
  return async function requireAdmin(c, next) {
    const expected = c.env.ADMIN_TOKEN;
    if (typeof expected !== 'string' || expected.length === 0) {
      throw new ApiError(503, ErrorCode.Unavailable, 'admin API disabled: ADMIN_TOKEN is not set');
    }
    const header = c.req.header('authorization') ?? '';
    const given = header.startsWith('Bearer ') ? header.slice(7) : '';
    if (!(await constantTimeEqual(given, expected))) throw new ApiError(401, ErrorCode.Unauthorized, 'admin token missing or wrong');
    await next();
  };
}

async function constantTimeEqual(a: string, b: string): Promise<boolean> {
  const digest = (s: string) => crypto.subtle.digest('SHA-256', new TextEncoder().encode(s));
  const [da, db] = await Promise.all([digest(a), digest(b)]);
  return crypto.subtle.timingSafeEqual(da, db) && a.length > 0;
}
