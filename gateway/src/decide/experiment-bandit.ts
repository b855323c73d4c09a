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
 * Decisions reach the D1 log in batches from this object's outbox, at most this long after
 * being made: one D1 batch per second instead of one write per decide keeps D1 off the hot path.
 */
export const LOG_FLUSH_MS = 1000;
/** Rows per D1 batch (D1 allows 100 statements per batch call comfortably; one prune rides along). */
export const LOG_FLUSH_ROWS = 99;

const COUNTERS: Record<RewardStatus, number> = { applied: 0, recorded: 0, duplicate: 0, late: 0, unknown: 0, ignored: 0 };

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
  #flushScheduled = false;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    const sql = ctx.storage.sql;
    sql.exec('CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)');
    // `learn` = 0 for decisions the policy did not make (holdout, stopped): their rewards are logged, never learned.
    sql.exec('CREATE TABLE IF NOT EXISTS pending (id TEXT PRIMARY KEY, at INTEGER NOT NULL, arm INTEGER NOT NULL, x TEXT NOT NULL, learn INTEGER NOT NULL, rewarded INTEGER NOT NULL DEFAULT 0)');
    sql.exec('CREATE TABLE IF NOT EXISTS exposures (visitor TEXT NOT NULL, arm INTEGER NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (visitor, arm))');
    sql.exec('CREATE TABLE IF NOT EXISTS sticky (visitor TEXT PRIMARY KEY, arm INTEGER NOT NULL, propensity REAL NOT NULL)');
    // Decisions (and their early rewards) not yet in the D1 log; `ver` changes with every edit.
    sql.exec('CREATE TABLE IF NOT EXISTS outbox (id TEXT PRIMARY KEY, row TEXT NOT NULL, reward REAL, rewarded_at INTEGER, late INTEGER NOT NULL DEFAULT 0, duplicate INTEGER NOT NULL DEFAULT 0, ver INTEGER NOT NULL DEFAULT 0)');
    for (const row of sql.exec<{ key: string; value: string }>('SELECT key, value FROM meta')) {
      const value = JSON.parse(row.value);
      if (row.key === 'experiment') this.#experiment = value;
      else if (row.key === 'version') this.#version = value;
      else if (row.key === 'state') this.#state = value;
      else if (row.key === 'counters') this.#counters = { ...COUNTERS, ...value };
      else if (row.key === 'site') this.#siteId = value;
    }
  }

  /** Installs a new experiment version. The learned state survives unless the arms, algorithm or context changed. */
  async configure(experiment: Experiment, version: number, experimentId: string, siteId: string): Promise<{ policyVersion: string; reset: boolean }> {
    const reset = !this.#experiment || !this.#state || modelShape(this.#experiment) !== modelShape(experiment);
    if (reset) {
      this.#state = initialState(toPolicy(experiment).config);
      this.ctx.storage.sql.exec('DELETE FROM pending');
      this.ctx.storage.sql.exec('DELETE FROM sticky');
      this.ctx.storage.sql.exec('DELETE FROM exposures');
    }
    this.#experiment = experiment;
    this.#version = version;
    this.#put('experiment', experiment);
    this.#put('version', version);
    this.#put('id', experimentId);
    this.#put('site', siteId);
    this.#siteId = siteId;
    this.#put('state', this.#state);
    if ((await this.ctx.storage.getAlarm()) === null) await this.ctx.storage.setAlarm(Date.now() + this.#windowMs());
    return { policyVersion: this.#policyVersion(), reset };
  }

  /**
   * One decision. Stopped → the default arm (propensity 1). Holdout visitors (stable hash) → the
   * default arm. Sticky visitors keep their first arm and its original propensity. Otherwise the
   * policy draws an arm; the frequency cap excludes arms this visitor has seen enough.
   */
  decide(input: { context: unknown; visitor: string | null; experimentId: string; now: number }): DecideOutcome {
    const e = this.#experiment;
    const state = this.#state;
    if (!e || !state) return { ok: false, code: 'unconfigured', message: 'experiment is not configured' };
    const policy = toPolicy(e);
    const decisionId = `${input.experimentId}.${crypto.randomUUID()}`;
    const defaultIndex = e.arms.findIndex((a) => a.id === e.defaultArm);
    const serve = (armIndex: number, propensity: number, x: number[], holdout: boolean, reason: string, learn = true): DecideOutcome => {
      const arm = e.arms[armIndex]!;
      const decision: BanditDecision = { decisionId, armIndex, arm: arm.id, payload: arm.payload ?? null, propensity, policyVersion: this.#policyVersion(), x, holdout, reason };
      this.ctx.storage.sql.exec('INSERT INTO pending (id, at, arm, x, learn) VALUES (?, ?, ?, ?, ?)', decisionId, input.now, armIndex, JSON.stringify(x), learn ? 1 : 0);
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
    // Served probabilities feed the shift cap's reference; kept in memory (losing them on eviction only slows the reference).
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
   * learned) while the experiment is paused.
   */
  reward(input: { decisionId: string; signal: RewardSignal; now: number }): RewardOutcome {
    const e = this.#experiment;
    if (!e || !this.#state) return this.#count('unknown');
    const row = this.ctx.storage.sql.exec<{ at: number; arm: number; x: string; learn: number; rewarded: number }>('SELECT at, arm, x, learn, rewarded FROM pending WHERE id = ?', input.decisionId).toArray()[0];
    if (!row) return this.#count('unknown');
    const reward = rewardFor(e, e.arms[row.arm]?.id ?? '', input.signal);
    if (reward === null) return this.#count('ignored');
    // Not in D1 yet: reward and counts travel with the queued decision row.
    if (row.rewarded || input.now - row.at > this.#windowMs()) {
      const status = row.rewarded ? 'duplicate' : 'late';
      this.ctx.storage.sql.exec(`UPDATE outbox SET ${status} = ${status} + 1, ver = ver + 1 WHERE id = ?`, input.decisionId);
      return { ...this.#count(status), reward };
    }
    this.ctx.storage.sql.exec('UPDATE pending SET rewarded = 1 WHERE id = ?', input.decisionId);
    this.ctx.storage.sql.exec('UPDATE outbox SET reward = ?, rewarded_at = ?, ver = ver + 1 WHERE id = ?', reward, input.now, input.decisionId);
    if (e.status === 'paused' || !row.learn) return { ...this.#count('recorded'), reward };
    this.#state = rewardStep(toPolicy(e), this.#state, JSON.parse(row.x), row.arm, reward);
    this.#put('state', this.#state);
    return { ...this.#count('applied'), reward, policyVersion: this.#policyVersion() };
  }

  /** The live config, version, learned state and reward counters (admin reports, OPE). */
  snapshot(): BanditSnapshot | null {
    if (!this.#experiment || !this.#state) return null;
    return { experiment: this.#experiment, version: this.#version, policyVersion: this.#policyVersion(), state: this.#state, counters: { ...this.#counters } };
  }

  /**
   * Writes queued decisions to the D1 log (upserts: a reward already there is never overwritten)
   * and prunes expired log rows in the same batch. Rows edited while the batch was in flight stay
   * queued for the next flush. Returns how many rows were written.
   */
  async flushLog(): Promise<number> {
    let written = 0;
    for (;;) {
      const rows = this.ctx.storage.sql
        .exec<{ id: string; row: string; reward: number | null; rewarded_at: number | null; late: number; duplicate: number; ver: number }>('SELECT id, row, reward, rewarded_at, late, duplicate, ver FROM outbox LIMIT ?', LOG_FLUSH_ROWS)
        .toArray();
      if (rows.length === 0) return written;
      const decisions = rows.map((r) => ({ ...(JSON.parse(r.row) as DecisionRow), reward: r.reward, rewardedAt: r.rewarded_at, lateRewards: r.late, duplicateRewards: r.duplicate }));
      await writeDecisionRows(this.env.DB, decisions, Date.now());
      for (const r of rows) this.ctx.storage.sql.exec('DELETE FROM outbox WHERE id = ? AND ver = ?', r.id, r.ver);
      written += rows.length;
      if (rows.length < LOG_FLUSH_ROWS) return written;
    }
  }

  /** Flushes the decision log; forgets pending decisions past window + grace. */
  override async alarm(): Promise<void> {
    this.#flushScheduled = false;
    try {
      await this.flushLog();
    } catch {
      console.error('decision log flush failed; retrying');
    }
    this.ctx.storage.sql.exec('DELETE FROM pending WHERE at < ?', Date.now() - this.#windowMs() - LATE_GRACE_MS);
    const queued = this.ctx.storage.sql.exec<{ n: number }>('SELECT COUNT(*) AS n FROM outbox').one().n;
    this.#flushScheduled = queued > 0;
    await this.ctx.storage.setAlarm(Date.now() + (queued > 0 ? LOG_FLUSH_MS : Math.max(this.#windowMs() / 4, 60_000)));
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
    this.ctx.storage.sql.exec('INSERT OR REPLACE INTO outbox (id, row) VALUES (?, ?)', d.decisionId, JSON.stringify(row));
    if (!this.#flushScheduled) {
      this.#flushScheduled = true;
      void this.ctx.storage.setAlarm(now + LOG_FLUSH_MS);
    }
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
    this.#put('counters', this.#counters);
    return { status };
  }

  #put(key: string, value: unknown): void {
    this.ctx.storage.sql.exec('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)', key, JSON.stringify(value));
  }
}
