import { DurableObject } from 'cloudflare:workers';
import { boundContribution, cryptoSource, type ContributionBounds, type RandomSource, type UnitPartition } from '@sluice/privacy';
import type { Env } from '../env.ts';
import { utcDay } from './privacy-unit.ts';

/** One event's contribution as ingest hands it to a shard (value in integer minor units, as a string). */
export interface Contribution {
  unit: string;
  partition: string;
  value: string;
}

/** Bounded per-partition totals of one shard, as returned for a release. Exact: never leaves the worker. */
export interface ShardTotal {
  day: string;
  partition: string;
  units: number;
  value: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Aggregate counters for one (site, shard). Every privacy unit lives in exactly one shard (by
 * its hash), so contribution bounding is exact here: the shard remembers, per unit and day,
 * which partitions it counts in with its clamped value there, and which it was refused
 * (`boundContribution`: reservoir sampling beyond L0, randomness from Web Crypto), and keeps
 * per-(day, partition) totals that a release merges across shards. Unit rows are forgotten
 * once their day is over (the day is the receive day, so no later event can join it).
 */
export class AggregateShard extends DurableObject<Env> {
  private readonly rng: RandomSource = cryptoSource();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.storage.sql.exec(`
      CREATE TABLE IF NOT EXISTS units (day TEXT NOT NULL, unit TEXT NOT NULL, partition TEXT NOT NULL, value INTEGER NOT NULL, PRIMARY KEY (day, unit, partition));
      CREATE TABLE IF NOT EXISTS dropped (day TEXT NOT NULL, unit TEXT NOT NULL, partition TEXT NOT NULL, PRIMARY KEY (day, unit, partition));
      CREATE TABLE IF NOT EXISTS totals (day TEXT NOT NULL, partition TEXT NOT NULL, units INTEGER NOT NULL, value INTEGER NOT NULL, PRIMARY KEY (day, partition));
    `);
  }

  /** Adds bounded contributions for one day. Synchronous SQL only: one batch is applied atomically. */
  async add(day: string, contributions: Contribution[], bounds: { maxPartitions: string; maxValue: string }): Promise<void> {
    const limits: ContributionBounds = { maxPartitions: BigInt(bounds.maxPartitions), maxValue: BigInt(bounds.maxValue) };
    const sql = this.ctx.storage.sql;
    for (const c of contributions) {
      const existing: UnitPartition[] = sql
        .exec<{ partition: string; value: number }>('SELECT partition, value FROM units WHERE day = ? AND unit = ?', day, c.unit)
        .toArray()
        .map((r) => ({ partition: r.partition, value: BigInt(r.value) }));
      const dropped = sql
        .exec<{ partition: string }>('SELECT partition FROM dropped WHERE day = ? AND unit = ?', day, c.unit)
        .toArray()
        .map((r) => r.partition);
      const step = boundContribution({ kept: existing, dropped }, c.partition, BigInt(c.value), limits, this.rng);
      if (step.kind === 'new' || step.kind === 'replace') {
        if (step.kind === 'replace') {
          sql.exec('DELETE FROM units WHERE day = ? AND unit = ? AND partition = ?', day, c.unit, step.evict);
          sql.exec('INSERT INTO dropped (day, unit, partition) VALUES (?, ?, ?)', day, c.unit, step.evict);
          sql.exec('UPDATE totals SET units = units - 1, value = value - ? WHERE day = ? AND partition = ?', Number(step.evictedValue), day, step.evict);
        }
        sql.exec('INSERT INTO units (day, unit, partition, value) VALUES (?, ?, ?, ?)', day, c.unit, c.partition, Number(step.value));
        sql.exec(
          'INSERT INTO totals (day, partition, units, value) VALUES (?, ?, 1, ?) ON CONFLICT (day, partition) DO UPDATE SET units = units + 1, value = value + excluded.value',
          day, c.partition, Number(step.value),
        );
      } else if (step.kind === 'raise') {
        sql.exec('UPDATE units SET value = ? WHERE day = ? AND unit = ? AND partition = ?', Number(step.to), day, c.unit, c.partition);
        sql.exec('UPDATE totals SET value = value + ? WHERE day = ? AND partition = ?', Number(step.to - step.from), day, c.partition);
      } else if (step.kind === 'drop') {
        sql.exec('INSERT INTO dropped (day, unit, partition) VALUES (?, ?, ?)', day, c.unit, c.partition);
      }
    }
    if ((await this.ctx.storage.getAlarm()) === null) await this.ctx.storage.setAlarm(Date.now() + DAY_MS);
  }

  /**
   * Forgets one privacy unit's contributions to a day still open (data-rights deletion): its unit
   * rows go and the day's totals lose them, so no later release counts the person. Contributions
   * to finished days are already anonymous totals (unit rows are forgotten when the day ends).
   */
  forgetUnit(day: string, unit: string): { found: number; removed: number } {
    const sql = this.ctx.storage.sql;
    const rows = sql.exec<{ partition: string; value: number }>('SELECT partition, value FROM units WHERE day = ? AND unit = ?', day, unit).toArray();
    for (const row of rows) sql.exec('UPDATE totals SET units = units - 1, value = value - ? WHERE day = ? AND partition = ?', row.value, day, row.partition);
    sql.exec('DELETE FROM totals WHERE day = ? AND units <= 0', day);
    sql.exec('DELETE FROM units WHERE day = ? AND unit = ?', day, unit);
    const dropped = sql.exec<{ n: number }>('SELECT COUNT(*) AS n FROM dropped WHERE day = ? AND unit = ?', day, unit).one().n;
    sql.exec('DELETE FROM dropped WHERE day = ? AND unit = ?', day, unit);
    return { found: rows.length + dropped, removed: rows.length + dropped };
  }

  /** Retention of the not-yet-released totals: days before `beforeDay` go; returns the rows removed. */
  expireTotals(beforeDay: string): number {
    const sql = this.ctx.storage.sql;
    const n = sql.exec<{ n: number }>('SELECT COUNT(*) AS n FROM totals WHERE day < ?', beforeDay).one().n;
    if (n > 0) sql.exec('DELETE FROM totals WHERE day < ?', beforeDay);
    return n;
  }

  /** Bounded totals for the days in [from, to]. */
  async totals(from: string, to: string): Promise<ShardTotal[]> {
    return this.ctx.storage.sql
      .exec<{ day: string; partition: string; units: number; value: number }>('SELECT day, partition, units, value FROM totals WHERE day >= ? AND day <= ?', from, to)
      .toArray()
      .map((r) => ({ day: r.day, partition: r.partition, units: r.units, value: r.value }));
  }

  /** Forgets unit rows of finished days (hashed ids are only needed while their day can still grow). */
  override async alarm(): Promise<void> {
    const today = utcDay(Date.now());
    this.ctx.storage.sql.exec('DELETE FROM units WHERE day < ?', today);
    this.ctx.storage.sql.exec('DELETE FROM dropped WHERE day < ?', today);
    const left = this.ctx.storage.sql.exec<{ n: number }>('SELECT COUNT(*) AS n FROM units').one().n;
    if (left > 0) await this.ctx.storage.setAlarm(Date.now() + DAY_MS / 4);
  }
}
