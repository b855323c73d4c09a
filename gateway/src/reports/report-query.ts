import { z } from 'zod';
import { compare, formatRational, parseRational, type Rational } from '@sluice/privacy';
import { canonicalJson } from '@sluice/consent';
import { sha256Hex } from '../identity/sha256.ts';
import { QUERY_DIMENSIONS, type QueryDimension } from './dimensions.ts';
import type { ReportConfig } from './report-config.ts';
import { utcDay } from './privacy-unit.ts';

/** Longest date range one query may cover (a quarter). */
export const MAX_RANGE_DAYS = 92;

/**
 * A day can be queried once it has been over this long: counting runs under `waitUntil` just
 * after ingest answers, so the last events of a day may land a moment after midnight; after the
 * grace the day cannot change and a stored answer stays the answer.
 */
export const DAY_CLOSE_GRACE_MS = 15 * 60 * 1000;

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a UTC day, YYYY-MM-DD').refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && utcDay(Date.parse(`${d}T00:00:00Z`)) === d, 'not a calendar day');

/** The body of `POST /v1/reports/:site/query`. */
export const ReportQueryBody = z.strictObject({
  metrics: z.array(z.enum(['count', 'sum'])).min(1).max(2),
  dimensions: z.array(z.enum(QUERY_DIMENSIONS)).max(QUERY_DIMENSIONS.length),
  from: Day,
  to: Day,
  /** ε for the whole query, a decimal or fraction string (or a JSON number, read as its shortest decimal). */
  epsilon: z.union([z.string(), z.number()]),
  idempotencyKey: z.string().regex(/^[A-Za-z0-9._:-]{8,128}$/).optional(),
  /** `laplace` (default): pure ε-DP. `gaussian`: (ε, δ)-DP through zCDP, δ = the site's `gaussianDelta`. */
  noise: z.enum(['laplace', 'gaussian']).default('laplace'),
});

/** A validated query with its exact ε and the days it costs. */
export interface ReportQuery {
  metrics: Array<'count' | 'sum'>;
  dimensions: QueryDimension[];
  from: string;
  to: string;
  epsilon: Rational;
  days: string[];
  noise: 'laplace' | 'gaussian';
  idempotencyKey?: string | undefined;
}

export type QueryResult = { ok: true; query: ReportQuery } | { ok: false; message: string };

/**
 * Validates a query against the site's config. Messages name the field and the rule, never a
 * count. Only finished UTC days can be queried: a stored answer then stays the answer.
 */
export function parseReportQuery(body: unknown, config: ReportConfig, now: number): QueryResult {
  const parsed = ReportQueryBody.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { ok: false, message: `${issue.path.join('.') || 'body'}: ${issue.message}` };
  }
  const q = parsed.data;
  const eps = parseRational(q.epsilon);
  const max = parseRational(config.budget.maxEpsilonPerQuery);
  if (!eps.ok || eps.value.num === 0n || !max.ok || compare(eps.value, max.value) > 0n) {
    return { ok: false, message: "epsilon: must be a positive decimal or fraction within the site's per-query maximum" };
  }
  const allowed = new Set<string>(['day', 'event', ...config.dimensions]);
  const unknown = q.dimensions.find((d) => !allowed.has(d));
  if (unknown) return { ok: false, message: `dimensions: "${unknown}" is not declared for this site` };
  if (new Set(q.dimensions).size !== q.dimensions.length) return { ok: false, message: 'dimensions: each dimension at most once' };
  if (q.from > q.to) return { ok: false, message: 'from: must not be after to' };
  if (q.to >= utcDay(now - DAY_CLOSE_GRACE_MS)) return { ok: false, message: 'to: only finished UTC days can be queried (to must be before today, from a quarter past midnight UTC)' };
  const days = dayRange(q.from, q.to);
  if (days.length > MAX_RANGE_DAYS) return { ok: false, message: 'from/to: range longer than MAX_RANGE_DAYS (a quarter)' };
  const metrics = [...new Set(q.metrics)].sort() as Array<'count' | 'sum'>;
  return { ok: true, query: { metrics, dimensions: q.dimensions, from: q.from, to: q.to, epsilon: eps.value, days, noise: q.noise, idempotencyKey: q.idempotencyKey } };
}

/** The ledger's identity of a query: same site, metrics, dimensions, range, ε and noise ⇒ same answer. */
export async function queryHash(siteId: string, q: ReportQuery): Promise<string> {
  return sha256Hex(canonicalJson({ siteId, metrics: q.metrics, dimensions: q.dimensions, from: q.from, to: q.to, epsilon: formatRational(q.epsilon), noise: q.noise }));
}

function dayRange(from: string, to: string): string[] {
  const days: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); ; t += 86_400_000) {
    const day = utcDay(t);
    if (day > to || days.length > MAX_RANGE_DAYS) break;
    days.push(day);
  }
  return days;
}
