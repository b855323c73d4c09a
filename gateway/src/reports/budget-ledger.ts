import { DurableObject } from 'cloudflare:workers';
import { chargeDays, formatRational, parseRational, rational, type Rational } from '@sluice/privacy';
import type { Env } from '../env.ts';

/** A request to spend ε on every day of a query's range. */
export interface DebitRequest {
  queryHash: string;
  idempotencyKey?: string | undefined;
  /** Exact ε as `"n/d"` or `"n"`. */
  epsilon: string;
  days: string[];
  /** The site's hard cap per day, exact. */
  capPerDay: string;
  /** δ of the query (DP partition selection), exact; `"0"` for a query over public keys only. */
  delta?: string | undefined;
  /** The site's cap on δ per day, exact. */
  deltaCapPerDay?: string | undefined;
  caller: string;
  now: number;
}

export type DebitResult =
  | { kind: 'debited'; debitId: string }
  | { kind: 'stored'; debitId: string; releaseId: string }
  | { kind: 'pending' }
  | { kind: 'refused' }
  | { kind: 'conflict' };

/** One audited debit. */
export interface DebitRecord {
  id: string;
  queryHash: string;
  idempotencyKey: string | null;
  epsilon: string;
  delta: string;
  days: string[];
  caller: string;
  at: number;
  status: 'pending' | 'released';
  releaseId: string | null;
}

/**
 * A debit still pending after this long is taken as failed: the same query then debits again
 * (nothing is ever refunded: noise may have been drawn before the failure).
 */
export const PENDING_TIMEOUT_MS = 60_000;

/**
 * The privacy budget ledger of one site. A Durable Object runs one request at a time and every
 * `debit` is synchronous SQL with no await between the check and the write, so concurrent
 * queries cannot overspend: the cap is checked and the charge written in one step. Every debit
 * stays in the table (query hash, ε, days, caller, time) for audit; a released query's stored
 * answer is returned for the same query again instead of new noise.
 */
export class PrivacyBudgetLedger extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.storage.sql.exec(`
      CREATE TABLE IF NOT EXISTS spent (day TEXT PRIMARY KEY, epsilon TEXT NOT NULL, delta TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS debits (id TEXT PRIMARY KEY, query_hash TEXT NOT NULL, idempotency_key TEXT, epsilon TEXT NOT NULL, delta TEXT NOT NULL, days TEXT NOT NULL, caller TEXT NOT NULL, at INTEGER NOT NULL, status TEXT NOT NULL, release_id TEXT);
      CREATE INDEX IF NOT EXISTS debits_query ON debits (query_hash, at);
      CREATE UNIQUE INDEX IF NOT EXISTS debits_key ON debits (idempotency_key) WHERE idempotency_key IS NOT NULL;
    `);
  }

  async debit(request: DebitRequest): Promise<DebitResult> {
    const sql = this.ctx.storage.sql;
    if (request.idempotencyKey) {
      const byKey = sql.exec<{ query_hash: string }>('SELECT query_hash FROM debits WHERE idempotency_key = ?', request.idempotencyKey).toArray()[0];
      if (byKey && byKey.query_hash !== request.queryHash) return { kind: 'conflict' };
    }
    const prior = sql
      .exec<{ id: string; status: string; release_id: string | null; at: number }>('SELECT id, status, release_id, at FROM debits WHERE query_hash = ? ORDER BY at DESC LIMIT 1', request.queryHash)
      .toArray()[0];
    if (prior?.status === 'released' && prior.release_id) return { kind: 'stored', debitId: prior.id, releaseId: prior.release_id };
    if (prior?.status === 'pending' && request.now - prior.at < PENDING_TIMEOUT_MS) return { kind: 'pending' };
    const epsilon = exact(request.epsilon);
    const delta = exact(request.delta ?? '0');
    const spentEpsilon = new Map<string, Rational>();
    const spentDelta = new Map<string, Rational>();
    for (const day of request.days) {
      const row = sql.exec<{ epsilon: string; delta: string }>('SELECT epsilon, delta FROM spent WHERE day = ?', day).toArray()[0];
      if (row) {
        spentEpsilon.set(day, exact(row.epsilon));
        spentDelta.set(day, exact(row.delta));
      }
    }
    // Both ε and δ compose additively per day (basic composition); either cap refuses the whole query.
    const charge = chargeDays(spentEpsilon, request.days, epsilon, exact(request.capPerDay));
    const chargeDelta = chargeDays(spentDelta, request.days, delta, exact(request.deltaCapPerDay ?? '0'));
    if (!charge.ok || !chargeDelta.ok) return { kind: 'refused' };
    for (const day of request.days) {
      sql.exec(
        'INSERT INTO spent (day, epsilon, delta) VALUES (?, ?, ?) ON CONFLICT (day) DO UPDATE SET epsilon = excluded.epsilon, delta = excluded.delta',
        day, formatRational(charge.spent.get(day)!), formatRational(chargeDelta.spent.get(day)!),
      );
    }
    const debitId = crypto.randomUUID();
    // A stale pending debit of the same key gives its key to the new one (the old row stays for audit).
    if (request.idempotencyKey) sql.exec('UPDATE debits SET idempotency_key = NULL WHERE idempotency_key = ?', request.idempotencyKey);
    sql.exec(
      'INSERT INTO debits (id, query_hash, idempotency_key, epsilon, delta, days, caller, at, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      debitId, request.queryHash, request.idempotencyKey ?? null, formatRational(epsilon), formatRational(delta), JSON.stringify(request.days), request.caller, request.now, 'pending',
    );
    return { kind: 'debited', debitId };
  }

  /** Marks a debit released with the id of its stored answer. */
  async complete(debitId: string, releaseId: string): Promise<void> {
    this.ctx.storage.sql.exec("UPDATE debits SET status = 'released', release_id = ? WHERE id = ?", releaseId, debitId);
  }

  /** The audit trail, newest first, and ε spent per day. */
  async audit(limit: number): Promise<{ debits: DebitRecord[]; spent: Array<{ day: string; epsilon: string; delta: string }> }> {
    const sql = this.ctx.storage.sql;
    const debits = sql
      .exec<{ id: string; query_hash: string; idempotency_key: string | null; epsilon: string; delta: string; days: string; caller: string; at: number; status: string; release_id: string | null }>(
        'SELECT * FROM debits ORDER BY at DESC, id LIMIT ?', limit,
      )
      .toArray()
      .map((r) => ({
        id: r.id, queryHash: r.query_hash, idempotencyKey: r.idempotency_key, epsilon: r.epsilon, delta: r.delta, days: JSON.parse(r.days) as string[],
        caller: r.caller, at: r.at, status: r.status as DebitRecord['status'], releaseId: r.release_id,
      }));
    const spent = sql
      .exec<{ day: string; epsilon: string; delta: string }>('SELECT day, epsilon, delta FROM spent ORDER BY day')
      .toArray()
      .map((r) => ({ day: r.day, epsilon: r.epsilon, delta: r.delta }));
    return { debits, spent };
  }
}

function exact(text: string): Rational {
  const parsed = parseRational(text);
  if (!parsed.ok) throw new RangeError('ledger: not an exact rational');
  return parsed.value.num === 0n ? rational(0n) : parsed.value;
}

/** The ledger of one site. */
export function budgetLedger(env: Env, siteId: string) {
  return env.BUDGET_LEDGER.get(env.BUDGET_LEDGER.idFromName(siteId));
}
