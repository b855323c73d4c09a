import type { MiddlewareHandler } from 'hono';
import { ErrorCode } from '@sluice/protocol';
import type { Env } from '../env.ts';
import { ApiError } from '../http/api-error.ts';
import { secretsEqual, tokenId } from '../admin/admin-token.ts';

export type ReportCaller = 'admin' | 'reporting';
/** `callerTokenId`: the token's id for the admin audit log (`reporting:1a2b…`), never the token. */
export type ReportVariables = { caller: ReportCaller; callerTokenId: string };

/**
 * Report routes take `Authorization: Bearer <token>`: the admin token, or the read-only
 * `REPORT_TOKEN` (reads reports, spends budget, cannot change the report config). Both are
 * secrets compared in constant time; both are always compared, so timing does not tell which
 * one matched. Sets `caller` for the ledger.
 */
export function requireReportToken(options: { adminOnly?: boolean } = {}): MiddlewareHandler<{ Bindings: Env; Variables: ReportVariables }> {
  return async function reportToken(c, next) {
    const header = c.req.header('authorization') ?? '';
    const given = header.startsWith('Bearer ') ? header.slice('Bearer '.length) : '';
    const admin = typeof c.env.ADMIN_TOKEN === 'string' && c.env.ADMIN_TOKEN ? c.env.ADMIN_TOKEN : null;
    const reporting = typeof c.env.REPORT_TOKEN === 'string' && c.env.REPORT_TOKEN ? c.env.REPORT_TOKEN : null;
    const [isAdmin, isReporting] = await Promise.all([
      given && admin ? secretsEqual(given, admin) : false,
      given && reporting ? secretsEqual(given, reporting) : false,
    ]);
    if (isAdmin) c.set('caller', 'admin');
    else if (isReporting && !options.adminOnly) c.set('caller', 'reporting');
    else throw new ApiError(401, ErrorCode.Unauthorized, options.adminOnly ? 'admin token missing or wrong' : 'report or admin token missing or wrong', { 'WWW-Authenticate': 'Bearer' });
    c.set('callerTokenId', await tokenId(c.get('caller'), given));
    await next();
  };
}
