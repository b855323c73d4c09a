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

  /** The site's suppression list being copied from D1 (first `admit` after a start or reset). */
  #loading: Promise<void> | undefined;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.storage.sql.exec('CREATE TABLE IF NOT EXISTS ids (id TEXT PRIMARY KEY, at INTEGER NOT NULL)');
    // The site's suppression list (rights/: keyed digests of people who asked to be forgotten),
    // mirrored from D1 `suppressions` so ingest checks it in its one ledger call instead of a D1 read.
    ctx.storage.sql.exec('CREATE TABLE IF NOT EXISTS suppressed (key TEXT PRIMARY KEY) WITHOUT ROWID');
    ctx.storage.sql.exec('CREATE TABLE IF NOT EXISTS state (name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID');
  }

  /**
   * Ingest's one call per request: events whose subject keys are on the site's suppression list
   * are not claimed (`suppressed`), the others' ids are claimed as `claim` does (`fresh`: new and
   * now claimed). `others`: subject keys of events checked only (quarantined ones), never claimed.
   * The list is this object's copy of D1 `suppressions`, loaded from D1 once per object (again
   * after a storage reset) and kept current by `suppress`, which every deletion calls before it
   * writes D1 — one object per site, so a deletion is effective for the next event on any isolate.
   */
  async admit(siteId: string, events: { id: string; keys: string[] }[], others: string[][] = []): Promise<{ fresh: boolean[]; suppressed: boolean[]; othersSuppressed: boolean[] }> {
    await this.#suppressionsLoaded(siteId);
    const sql = this.ctx.storage.sql;
    const all = [...new Set([...events.flatMap((e) => e.keys), ...others.flat()])];
    const listed = new Set(
      all.length === 0 ? [] : sql.exec('SELECT key FROM suppressed WHERE key IN (SELECT value FROM json_each(?))', JSON.stringify(all)).toArray().map((r) => r.key as string),
    );
    const isSuppressed = (keys: string[]) => keys.some((key) => listed.has(key));
    const suppressed = events.map((e) => isSuppressed(e.keys));
    const othersSuppressed = others.map(isSuppressed);
    const claimable = events.filter((_, i) => !suppressed[i]).map((e) => e.id);
    const claimed = await this.claim(claimable);
    let next = 0;
    const fresh = events.map((_, i) => (suppressed[i] ? false : claimed[next++]!));
    return { fresh, suppressed, othersSuppressed };
  }

  /** Adds subject keys to the site's suppression list (rights/ calls it for every deletion, before D1). */
  async suppress(siteId: string, keys: string[]): Promise<void> {
    await this.#suppressionsLoaded(siteId);
    for (const key of keys) this.ctx.storage.sql.exec('INSERT OR IGNORE INTO suppressed (key) VALUES (?)', key);
  }

  /** Copies the site's D1 suppression list once (paged), unless this object's storage has it already. */
  #suppressionsLoaded(siteId: string): Promise<void> {
    const sql = this.ctx.storage.sql;
    if (sql.exec("SELECT 1 FROM state WHERE name = 'suppressions_loaded'").toArray().length > 0) return Promise.resolve();
    this.#loading ??= (async () => {
      let after = '';
      for (;;) {
        const { results } = await this.env.DB.prepare('SELECT subject_key FROM suppressions WHERE site_id = ? AND subject_key > ? ORDER BY subject_key LIMIT 5000')
          .bind(siteId, after)
          .all<{ subject_key: string }>();
        for (const row of results) sql.exec('INSERT OR IGNORE INTO suppressed (key) VALUES (?)', row.subject_key);
        if (results.length < 5000) break;
        after = results[results.length - 1]!.subject_key;
      }
      sql.exec("INSERT OR REPLACE INTO state (name, value) VALUES ('suppressions_loaded', ?)", String(Date.now()));
    })().finally(() => (this.#loading = undefined));
    return this.#loading;
  }

  /** Returns, for each id, true when it is new (and now claimed), false when seen before (a repeat in the same call included). */
  async claim(ids: string[]): Promise<boolean[]> {
    const now = Date.now();
    const sql = this.ctx.storage.sql;
    // One statement for all ids (a SQL call per id cost ~30 µs each): the ones it inserted are new;
    // a repeat inside the call is new only at its first occurrence.
    const inserted = new Set(
      sql.exec('INSERT INTO ids (id, at) SELECT value, ? FROM json_each(?) WHERE true ON CONFLICT (id) DO NOTHING RETURNING id', now, JSON.stringify(ids)).toArray().map((r) => r.id as string),
    );
    const seen = new Set<string>();
    const fresh = ids.map((id) => {
      const first = !seen.has(id);
      seen.add(id);
      return first && inserted.has(id);
    });
    if (!this.#alarmSet) {
      if ((await this.ctx.storage.getAlarm()) === null) await this.ctx.storage.setAlarm(now + EVENT_ID_TTL_MS);
      this.#alarmSet = true;
    }
    return fresh;
  }

  /** Un-claims ids whose delivery could not be queued, so the client's retry is not taken for a repeat. */
  async release(ids: string[]): Promise<void> {
    this.ctx.storage.sql.exec('DELETE FROM ids WHERE id IN (SELECT value FROM json_each(?))', JSON.stringify(ids));
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
