import type { Context, MiddlewareHandler } from 'hono';
import { ErrorCode } from '@sluice/protocol';
import type { Env } from '../env.ts';
import { ApiError } from '../http/api-error.ts';
import { appendAudit } from '../audit/append-audit.ts';
import { storage } from '../ingest/storage-unavailable.ts';

/**
 * Compares two secrets in constant time: both are SHA-256-hashed first, so neither their
 * content nor their length shows in the timing.
 */
export async function secretsEqual(given: string, expected: string): Promise<boolean> {
  const encode = (s: string) => crypto.subtle.digest('SHA-256', new TextEncoder().encode(s));
  const [a, b] = await Promise.all([encode(given), encode(expected)]);
  return crypto.subtle.timingSafeEqual(a, b);
}

/** Who made an admin request: the token's role and an id derived from it (never the token). */
export interface AdminActor {
  role: 'admin' | 'readonly';
  /** `admin:1a2b3c4d5e6f` — the role and the first 12 hex digits of SHA-256(token). */
  tokenId: string;
}

/** Requests a read-only token may make: reads only. Every other method needs `ADMIN_TOKEN`. */
const READ_METHODS = new Set(['GET', 'HEAD']);

const actors = new WeakMap<Request, AdminActor>();
const audited = new WeakSet<Request>();
const details = new WeakMap<Request, Record<string, unknown>>();

/** The actor of an admin request (set by `requireAdminToken`). */
export function actorOf(c: Context): AdminActor {
  return actors.get(c.req.raw) ?? { role: 'readonly', tokenId: 'unknown' };
}

/**
 * Adds facts to the audit row the admin middleware appends for this write (policy version, ε spent,
 * deletion id). No personal data: the row is kept for the audit retention.
 * @example noteAudit(c, { action: 'policy.put', version: 3 })
 */
export function noteAudit(c: Context, detail: Record<string, unknown>): void {
  details.set(c.req.raw, { ...details.get(c.req.raw), ...detail });
}

/** A token's id in the audit log: role plus the first 48 bits of its SHA-256 (never the token). */
export async function tokenId(role: string, token: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(token)));
  return `${role}:${[...digest.slice(0, 6)].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/**
 * Admin routes need `Authorization: Bearer <ADMIN_TOKEN>` (everything) or `<ADMIN_READONLY_TOKEN>`
 * (GET and HEAD only: a write answers 403 `forbidden`). Both compared in constant time; without
 * `ADMIN_TOKEN` set the admin API is closed. Every successful write is appended to the admin audit
 * log with the actor's token id.
 */
export function requireAdminToken(): MiddlewareHandler<{ Bindings: Env }> {
  return async function adminToken(c, next) {
    if (actors.has(c.req.raw)) return next(); // a second matching `use` of the same route group
    const header = c.req.header('authorization') ?? '';
    const given = header.startsWith('Bearer ') ? header.slice('Bearer '.length) : '';
    const admin = c.env.ADMIN_TOKEN;
    const readonly = c.env.ADMIN_READONLY_TOKEN;
    // Both comparisons always run, so timing does not tell which token matched.
    const [isAdmin, isReadonly] = await Promise.all([
      typeof admin === 'string' && admin !== '' && given !== '' ? secretsEqual(given, admin) : false,
      typeof admin === 'string' && admin !== '' && typeof readonly === 'string' && readonly !== '' && given !== '' ? secretsEqual(given, readonly) : false,
    ]);
    if (!isAdmin && !isReadonly) {
      throw new ApiError(401, ErrorCode.Unauthorized, 'admin token missing or wrong', { 'WWW-Authenticate': 'Bearer' });
    }
    const role = isAdmin ? 'admin' : 'readonly';
    actors.set(c.req.raw, { role, tokenId: await tokenId(role, given) });
    const write = !READ_METHODS.has(c.req.method);
    if (write && role === 'readonly') throw new ApiError(403, ErrorCode.Forbidden, 'the read-only admin token cannot change anything');
    await next();
    if (write && !audited.has(c.req.raw) && c.res.status < 400) {
      audited.add(c.req.raw);
      const detail = details.get(c.req.raw);
      await storage('d1', () => appendAudit(c.env.DB, {
        siteId: c.req.param('site') ?? (typeof detail?.siteId === 'string' ? detail.siteId : null),
        actor: actors.get(c.req.raw)!.tokenId,
        action: typeof detail?.action === 'string' ? detail.action : `${c.req.method} ${c.req.routePath}`,
        target: c.req.path,
        detail: detail ?? null,
        at: Date.now(),
      }));
    }
  };
}
