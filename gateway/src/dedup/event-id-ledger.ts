import { DurableObject } from 'cloudflare:workers';
import type { Env } from '../env.ts';

/** Meta deduplicates browser and server events over 48 h; we remember accepted ids as long. */
export const EVENT_ID_TTL_MS = 48 * 60 * 60 * 1000;

/**
 * Remembers which event ids a site has accepted, so a retried or replayed batch is not
 * forwarded twice. One instance per site: a single writer makes claim() atomic, and all of a
 * request's ids go in one call (one implicit transaction: no await inside).
 */
export class EventIdLedger extends DurableObject<Env> {
  #alarmSet = false;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.storage.sql.exec('CREATE TABLE IF NOT EXISTS ids (id TEXT PRIMARY KEY, at INTEGER NOT NULL)');
  }

  /** Returns, for each id, true when it is new (and now claimed), false when seen before (a repeat in the same call included). */
  async claim(ids: string[]): Promise<boolean[]> {
    const now = Date.now();
    const sql = this.ctx.storage.sql;
    const fresh = ids.map((id) => sql.exec('INSERT INTO ids (id, at) VALUES (?, ?) ON CONFLICT (id) DO NOTHING', id, now).rowsWritten > 0);
    if (!this.#alarmSet) {
      if ((await this.ctx.storage.getAlarm()) === null) await this.ctx.storage.setAlarm(now + EVENT_ID_TTL_MS);
      this.#alarmSet = true;
    }
    return fresh;
  }

  /** Un-claims ids whose delivery could not be queued, so the client's retry is not taken for a repeat. */
  async release(ids: string[]): Promise<void> {
    for (const id of ids) this.ctx.storage.sql.exec('DELETE FROM ids WHERE id = ?', id);
  }

  /** Forgets ids past the dedup window. */
  override async alarm(): Promise<void> {
    this.ctx.storage.sql.exec('DELETE FROM ids WHERE at < ?', Date.now() - EVENT_ID_TTL_MS);
    const left = this.ctx.storage.sql.exec('SELECT COUNT(*) AS n FROM ids').one().n as number;
    this.#alarmSet = false;
    if (left > 0) {
      await this.ctx.storage.setAlarm(Date.now() + EVENT_ID_TTL_MS / 4);
      this.#alarmSet = true;
    }
  }
}
