import type { DataStore } from '../rights/data-stores.ts';
import { aggregateShard } from './count-aggregates.ts';
import { AGGREGATE_SHARDS, privacyUnit, utcDay } from './privacy-unit.ts';

/**
 * Aggregates before release in deletions and retention. The shards know a visitor only as the
 * privacy unit of (site, anonymous id, day), and only for the day still open: that unit's rows and
 * its share of the day's totals go when the request gives the anonymous id (a person known only
 * by email has no unit the gateway can compute). Earlier days are totals of units no longer
 * stored: nothing of one person is left to find there. Retention removes the totals of days older
 * than the policy's `aggregates` TTL from every shard; releases already made are in D1
 * (`report_releases`) and are noised aggregates, not personal data.
 */
export const aggregateStore: DataStore = {
  name: 'aggregates',
  kind: 'aggregates',
  async purge(env, target) {
    let found = 0;
    let removed = 0;
    const day = utcDay(target.now);
    for (const anonymousId of target.anonymousIds ?? []) {
      const unit = await privacyUnit(target.siteId, anonymousId, day);
      const result = await aggregateShard(env, target.siteId, unit.shard).forgetUnit(day, unit.id);
      found += result.found;
      removed += result.removed;
    }
    return { found, removed };
  },
  async expire(env, siteId, before) {
    const beforeDay = utcDay(before);
    let removed = 0;
    for (let shard = 0; shard < AGGREGATE_SHARDS; shard++) removed += await aggregateShard(env, siteId, shard).expireTotals(beforeDay);
    return removed;
  },
};
