import { DurableObject } from 'cloudflare:workers';
import { durationMs } from '@sluice/consent';
import { cryptoRng, decideStep, featurize, inHoldout, initialState, rewardStep, type BanditState, type Rng } from '@sluice/edge-models/bandits';
import type { Env } from '../env.ts';
import { modelShape, toPolicy, type Experiment } from './experiment.ts';
import { rewardFor, type RewardSignal } from './reward-for.ts';
import { DEFAULT_DECISION_RETENTION_MS, writeDecisionRows, type DecisionRow } from './decision-log.ts';

/** How a decision was made, as logged. */
export interface BanditDecision {
  decisionId: string;
  armIndex: number;
  arm: string;
  payload: unknown;
  propensity: number;
  policyVersion: string;
  x: number[];
  holdout: boolean;
  reason: string;
}

export type DecideOutcome = { ok: true; decision: BanditDecision } | { ok: false; code: 'unconfigured' | 'invalid_context'; message: string };

export type RewardStatus = 'applied' | 'recorded' | 'duplicate' | 'late' | 'unknown' | 'ignored';

export interface RewardOutcome {
  status: RewardStatus;
  reward?: number;
  policyVersion?: string;
}

export interface BanditSnapshot {
  experiment: Experiment;
  version: number;
  policyVersion: string;
  state: BanditState;
  counters: Record<RewardStatus, number>;
}

/** Pending decisions are kept this much longer than the reward window, so a late reward is recognised (and counted) as late. */
export const LATE_GRACE_MS = 24 * 60 * 60 * 1000;
/**
 * Write-behind interval. Decisions, their pending rewards and model updates are kept in memory
 * and written out together at most this long later (SQLite here, then the D1 log in batches):
 * a storage write on every decide would hold each response behind a durable commit (measured
 * in bench/decide.bench.mjs: it halved throughput). The cost: an object that crashes loses at
 * most this much of not-yet-written decisions and updates (their rewards then count as unknown).
 */
export const LOG_FLUSH_MS = 1000;
/** Decision rows per D1 batch (one prune statement rides along). */
export const LOG_FLUSH_ROWS = 99;

const COUNTERS: Record<RewardStatus, number> = { applied: 0, recorded: 0, duplicate: 0, late: 0, unknown: 0, ignored: 0 };

interface Pending {
  at: number;
  arm: number;
  x: number[];
  /** false for decisions the policy did not make (holdout, stopped): their rewards are logged, never learned. */
  learn: boolean;
  rewarded: boolean;
}

interface Outgoing {
  row: DecisionRow;
  /** Bumped on every edit, so a row edited while its D1 write was in flight is written again. */
  ver: number;
}

/**
 * One experiment's bandit: the live config, the learned state and the decisions waiting for a
 * reward. One instance per (site, experiment) — a single writer, so concurrent decides and
 * rewards never lose an update. Every method runs without awaiting between reading and writing
 * state (the input gate keeps it atomic). The math is `@sluice/edge-models/bandits`, the same
 * code as the `sluice-bandit` CLI.
 */
export class ExperimentBandit extends DurableObject<Env> {
  /** Production: `crypto.getRandomValues`. Tests replace it with a seeded source (`runInDurableObject`). */
  rng: Rng = cryptoRng();
  #experiment: Experiment | null = null;
  #version = 0;
  #state: BanditState | null = null;
  #counters = { ...COUNTERS };
  #siteId = '';
  /** Decisions not yet written to SQLite (older ones are read from the `pending` table). */
  readonly #fresh = new Map<string, Pending>();
  /** Rewards marked on decisions that are already in SQLite, not yet written back. */
  readonly #rewardedInStorage = new Set<string>();
  /** Decision rows on their way to the D1 log. */
  readonly #outbox = new Map<string, Outgoing>();
  #stateDirty = false;
  #flushScheduled = false;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    const sql = ctx.storage.sql;
    sql.exec('CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)');
    sql.exec('CREATE TABLE IF NOT EXISTS pending (id TEXT PRIMARY KEY, at INTEGER NOT NULL, arm INTEGER NOT NULL, x TEXT NOT NULL, learn INTEGER NOT NULL, rewarded INTEGER NOT NULL DEFAULT 0)');
    sql.exec('CREATE TABLE IF NOT EXISTS exposures (visitor TEXT NOT NULL, arm INTEGER NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (visitor, arm))');
    sql.exec('CREATE TABLE IF NOT EXISTS sticky (visitor TEXT PRIMARY KEY, arm INTEGER NOT NULL, propensity REAL NOT NULL)');
    // Rows D1 refused at the last flush, kept durably until it takes them.
    sql.exec('CREATE TABLE IF NOT EXISTS outbox (id TEXT PRIMARY KEY, row TEXT NOT NULL)');
    for (const row of sql.exec<{ key: string; value: string }>('SELECT key, value FROM meta')) {
      const value = JSON.parse(row.value);
      if (row.key === 'experiment') this.#experiment = value;
      else if (row.key === 'version') this.#version = value;
      else if (row.key === 'state') this.#state = value;
      else if (row.key === 'counters') this.#counters = { ...COUNTERS, ...value };
      else if (row.key === 'site') this.#siteId = value;
    }
    for (const row of sql.exec<{ id: string; row: string }>('SELECT id, row FROM outbox')) this.#outbox.set(row.id, { row: JSON.parse(row.row), ver: 0 });
  }

  /** Installs a new experiment version. The learned state survives unless the arms, algorithm or context changed. */
  async configure(experiment: Experiment, version: number, experimentId: string, siteId: string): Promise<{ policyVersion: string; reset: boolean }> {
    await this.flushLog().catch(() => undefined);
    const reset = !this.#experiment || !this.#state || modelShape(this.#experiment) !== modelShape(experiment);
    if (reset) {
      this.#state = initialState(toPolicy(experiment).config);
      this.#fresh.clear();
      this.#rewardedInStorage.clear();
      for (const table of ['pending', 'sticky', 'exposures']) this.ctx.storage.sql.exec(`DELETE FROM ${table}`);
    }
    this.#experiment = experiment;
    this.#version = version;
    this.#siteId = siteId;
    for (const [key, value] of Object.entries({ experiment, version, id: experimentId, site: siteId, state: this.#state })) this.#put(key, value);
    if ((await this.ctx.storage.getAlarm()) === null) await this.ctx.storage.setAlarm(Date.now() + this.#windowMs());
    return { policyVersion: this.#policyVersion(), reset };
  }

  /**
   * One decision. Stopped → the default arm (propensity 1). Holdout visitors (stable hash) → the
   * default arm. Sticky visitors keep their first arm and its original propensity. Otherwise the
   * policy draws an arm; the frequency cap excludes arms this visitor has seen enough.
   */
  decide(input: { decisionId: string; context: unknown; visitor: string | null; experimentId: string; now: number }): DecideOutcome {
    const e = this.#experiment;
    const state = this.#state;
    if (!e || !state) return { ok: false, code: 'unconfigured', message: 'experiment is not configured' };
    const policy = toPolicy(e);
    const { decisionId } = input;
    const defaultIndex = e.arms.findIndex((a) => a.id === e.defaultArm);
    const serve = (armIndex: number, propensity: number, x: number[], holdout: boolean, reason: string, learn = true): DecideOutcome => {
      const arm = e.arms[armIndex]!;
      const decision: BanditDecision = { decisionId, armIndex, arm: arm.id, payload: arm.payload ?? null, propensity, policyVersion: this.#policyVersion(), x, holdout, reason };
      this.#fresh.set(decisionId, { at: input.now, arm: armIndex, x, learn, rewarded: false });
      this.#queueLog(input.experimentId, decision, input.now);
      return { ok: true, decision };
    };
    const holdoutKey = input.visitor ?? decisionId;
    if (e.status === 'stopped') return serve(defaultIndex, 1, [], false, 'stopped', false);
    if (inHoldout(input.experimentId, holdoutKey, e.holdout)) return serve(defaultIndex, 1, [], true, 'holdout', false);
    if (e.sticky && input.visitor) {
      const kept = this.ctx.storage.sql.exec<{ arm: number; propensity: number }>('SELECT arm, propensity FROM sticky WHERE visitor = ?', input.visitor).toArray()[0];
      if (kept && kept.arm < e.arms.length) {
        const features = featurize(policy.context, input.context);
        if (!features.ok) return { ok: false, code: 'invalid_context', message: features.error };
        return serve(kept.arm, kept.propensity, features.x, false, 'sticky');
      }
    }
    const exposures = e.guardrails.frequencyCap && input.visitor ? this.#exposures(input.visitor, e.arms.length) : undefined;
    const step = decideStep(policy, state, input.context, this.rng, exposures);
    if (!step.ok) return { ok: false, code: 'invalid_context', message: step.error };
    // Served probabilities feed the shift cap's reference (persisted with the next update).
    this.#state = step.state;
    const { choice } = step;
    if (choice.arm === null) return serve(defaultIndex, 1, step.x, false, choice.reason, false);
    if (input.visitor && e.guardrails.frequencyCap) {
      this.ctx.storage.sql.exec('INSERT INTO exposures (visitor, arm, n) VALUES (?, ?, 1) ON CONFLICT (visitor, arm) DO UPDATE SET n = n + 1', input.visitor, choice.arm);
    }
    if (e.sticky && input.visitor) this.ctx.storage.sql.exec('INSERT OR REPLACE INTO sticky (visitor, arm, propensity) VALUES (?, ?, ?)', input.visitor, choice.arm, choice.propensity);
    return serve(choice.arm, choice.propensity, step.x, false, choice.reason);
  }

  /**
   * A reward for one of this object's decisions: applied once (idempotent by decision id),
   * ignored and counted when it arrives after the window or repeats, and only recorded (not
   * learned) while the experiment is paused or for decisions the policy did not make.
   */
  reward(input: { decisionId: string; signal: RewardSignal; now: number }): RewardOutcome {
    const e = this.#experiment;
    if (!e || !this.#state) return this.#count('unknown');
    const pending = this.#pending(input.decisionId);
    if (!pending) return this.#count('unknown');
    const reward = rewardFor(e, e.arms[pending.arm]?.id ?? '', input.signal);
    if (reward === null) return this.#count('ignored');
    const queued = this.#outbox.get(input.decisionId);
    if (pending.rewarded || input.now - pending.at > this.#windowMs()) {
      const status = pending.rewarded ? 'duplicate' : 'late';
      if (queued) {
        if (status === 'late') queued.row.lateRewards = (queued.row.lateRewards ?? 0) + 1;
        else queued.row.duplicateRewards = (queued.row.duplicateRewards ?? 0) + 1;
        queued.ver++;
      }
      return { ...this.#count(status), reward };
    }
    pending.rewarded = true;
    if (!this.#fresh.has(input.decisionId)) this.#rewardedInStorage.add(input.decisionId);
    // Not in D1 yet: the reward travels with the queued decision row.
    if (queued) {
      queued.row.reward = reward;
      queued.row.rewardedAt = input.now;
      queued.ver++;
    }
    this.#scheduleFlush(input.now);
    if (e.status === 'paused' || !pending.learn) return { ...this.#count('recorded'), reward };
    this.#state = rewardStep(toPolicy(e), this.#state, pending.x, pending.arm, reward);
    this.#stateDirty = true;
    return { ...this.#count('applied'), reward, policyVersion: this.#policyVersion() };
  }

  /**
   * Forgets a decision the page never saw: the worker served its fallback because this object
   * answered too late. Without this the log would hold an arm nobody was shown (and a later
   * reward for the fallback would be credited to it).
   */
  voidDecision(decisionId: string): void {
    this.#fresh.delete(decisionId);
    this.#outbox.delete(decisionId);
    this.ctx.storage.sql.exec('DELETE FROM pending WHERE id = ?', decisionId);
    this.ctx.storage.sql.exec('DELETE FROM outbox WHERE id = ?', decisionId);
  }

  /**
   * Forgets a person (data-rights deletion): their sticky arm and exposure counts (by visitor key)
   * and the given decisions not yet written to D1 or still awaiting a reward, so a later flush can
   * never write back a row the deletion removed from D1. Returns how many rows it found and removed.
   */
  forget(input: { visitor: string | null; decisionIds: readonly string[] }): { found: number; removed: number } {
    const sql = this.ctx.storage.sql;
    // Counted before deleting: `rowsWritten` also counts index writes.
    const take = (table: string, column: string, value: string): number => {
      const n = sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table} WHERE ${column} = ?`, value).one().n;
      if (n > 0) sql.exec(`DELETE FROM ${table} WHERE ${column} = ?`, value);
      return n;
    };
    let removed = 0;
    if (input.visitor) removed += take('sticky', 'visitor', input.visitor) + take('exposures', 'visitor', input.visitor);
    for (const id of input.decisionIds) {
      const inMemory = this.#fresh.delete(id) || this.#outbox.has(id);
      this.#outbox.delete(id);
      const stored = take('pending', 'id', id) + take('outbox', 'id', id);
      removed += stored > 0 ? stored : inMemory ? 1 : 0;
    }
    return { found: removed, removed };
  }

  /** The live config, version, learned state and reward counters (admin reports, OPE). */
  snapshot(): BanditSnapshot | null {
    if (!this.#experiment || !this.#state) return null;
    return { experiment: this.#experiment, version: this.#version, policyVersion: this.#policyVersion(), state: this.#state, counters: { ...this.#counters } };
  }

  /**
   * Writes everything held in memory: new pending decisions, reward marks, the model state and
   * counters to SQLite (one commit), then the queued decision rows to the D1 log in batches
   * (upserts: a reward already there is never overwritten). Rows D1 refuses stay queued (and
   * durable in SQLite) for the next flush. Returns how many rows reached D1.
   */
  async flushLog(): Promise<number> {
    this.#persist();
    let written = 0;
    while (this.#outbox.size > 0) {
      const batch = [...this.#outbox.entries()].slice(0, LOG_FLUSH_ROWS).map(([id, o]) => ({ id, ver: o.ver, row: o.row }));
      try {
        await writeDecisionRows(this.env.DB, batch.map((b) => b.row), Date.now());
      } catch (error) {
        for (const b of batch) this.ctx.storage.sql.exec('INSERT OR REPLACE INTO outbox (id, row) VALUES (?, ?)', b.id, JSON.stringify(b.row));
        throw error;
      }
      for (const b of batch) {
        if (this.#outbox.get(b.id)?.ver === b.ver) this.#outbox.delete(b.id);
        this.ctx.storage.sql.exec('DELETE FROM outbox WHERE id = ?', b.id);
      }
      written += batch.length;
    }
    return written;
  }

  /** Flushes; forgets pending decisions past window + grace; keeps itself scheduled while there is work. */
  override async alarm(): Promise<void> {
    this.#flushScheduled = false;
    await this.flushLog().catch(() => console.error('decision log flush failed; retrying'));
    this.ctx.storage.sql.exec('DELETE FROM pending WHERE at < ?', Date.now() - this.#windowMs() - LATE_GRACE_MS);
    const busy = this.#outbox.size > 0 || this.#fresh.size > 0;
    this.#flushScheduled = busy;
    await this.ctx.storage.setAlarm(Date.now() + (busy ? LOG_FLUSH_MS : Math.max(this.#windowMs() / 4, 60_000)));
  }

  #persist(): void {
    const sql = this.ctx.storage.sql;
    for (const [id, p] of this.#fresh) sql.exec('INSERT OR REPLACE INTO pending (id, at, arm, x, learn, rewarded) VALUES (?, ?, ?, ?, ?, ?)', id, p.at, p.arm, JSON.stringify(p.x), p.learn ? 1 : 0, p.rewarded ? 1 : 0);
    this.#fresh.clear();
    for (const id of this.#rewardedInStorage) sql.exec('UPDATE pending SET rewarded = 1 WHERE id = ?', id);
    this.#rewardedInStorage.clear();
    if (this.#stateDirty) this.#put('state', this.#state);
    this.#stateDirty = false;
    this.#put('counters', this.#counters);
  }

  #pending(id: string): Pending | undefined {
    const fresh = this.#fresh.get(id);
    if (fresh) return fresh;
    const row = this.ctx.storage.sql.exec<{ at: number; arm: number; x: string; learn: number; rewarded: number }>('SELECT at, arm, x, learn, rewarded FROM pending WHERE id = ?', id).toArray()[0];
    if (!row) return undefined;
    // Reward marks made since the last flush live in memory until it writes them.
    return { at: row.at, arm: row.arm, x: JSON.parse(row.x), learn: row.learn === 1, rewarded: row.rewarded === 1 || this.#rewardedInStorage.has(id) };
  }

  #queueLog(experimentId: string, d: BanditDecision, now: number): void {
    const e = this.#experiment!;
    const row: DecisionRow = {
      decisionId: d.decisionId,
      siteId: this.#siteId,
      experimentId,
      at: now,
      arm: d.arm,
      armIndex: d.armIndex,
      propensity: d.propensity,
      x: d.x,
      policyVersion: d.policyVersion,
      holdout: d.holdout,
      fallback: false,
      reason: d.reason,
      expiresAt: now + (durationMs(e.retention) ?? DEFAULT_DECISION_RETENTION_MS),
    };
    this.#outbox.set(d.decisionId, { row, ver: 0 });
    this.#scheduleFlush(now);
  }

  #scheduleFlush(now: number): void {
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    void this.ctx.storage.setAlarm(now + LOG_FLUSH_MS);
  }

  #policyVersion(): string {
    return `${this.#version}.${this.#state?.updates ?? 0}`;
  }

  #windowMs(): number {
    return durationMs(this.#experiment?.reward.window) ?? 7 * 86_400_000;
  }

  #exposures(visitor: string, arms: number): number[] {
    const counts = new Array<number>(arms).fill(0);
    for (const row of this.ctx.storage.sql.exec<{ arm: number; n: number }>('SELECT arm, n FROM exposures WHERE visitor = ?', visitor)) if (row.arm < arms) counts[row.arm] = row.n;
    return counts;
  }

  #count(status: RewardStatus): RewardOutcome {
    this.#counters[status]++;
    return { status };
  }

  #put(key: string, value: unknown): void {
    this.ctx.storage.sql.exec('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)', key, JSON.stringify(value));
  }
}
