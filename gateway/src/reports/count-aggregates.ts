import type { Event } from '@sluice/protocol';
import type { Env } from '../env.ts';
import type { SiteConfig } from '../site-config/site-config.ts';
import { loadLivePolicy } from '../consent/live-policy.ts';
import { requestLocation } from '../consent/request-location.ts';
import { loadReportConfig } from './report-config.ts';
import { reportingConsent } from './reporting-consent.ts';
import { partitionOf } from './partition-of.ts';
import { minorUnits } from './minor-units.ts';
import { privacyUnit, utcDay } from './privacy-unit.ts';
import type { Contribution } from './aggregate-shard.ts';
import { perEventPlace } from '../sources/relayed/index.ts';

/**
 * The ingest hook: counts a batch's accepted (deduplicated) events into the site's aggregate
 * shards, for events consented for reporting only (see `reportingConsent`). One RPC per shard
 * touched. Runs under `waitUntil` after the deliveries are queued, so reporting never delays
 * or fails ingest; a failure loses these counts (noisy aggregates tolerate an undercount better
 * than ingest tolerates an outage) and is logged without any event data.
 * @example
 * c.executionCtx.waitUntil(countAggregates(c.env, site, accepted, c.req.raw));
 */
export async function countAggregates(env: Env, site: SiteConfig, events: readonly Event[], request: Request, now: number = Date.now()): Promise<void> {
  try {
    if (events.length === 0) return;
    const config = await loadReportConfig(env.CONFIG, site.id);
    if (!config) return;
    const live = await loadLivePolicy(env.CONFIG, site.id);
    const location = requestLocation(request, env.GEO_OVERRIDE);
    // Server sources: each event counted where its end user is (sources/relayed/), never at the sending server.
    const placed = perEventPlace(request, live?.policy, location, (at) => reportingConsent(live, config.purpose, request.headers, at));
    const day = utcDay(now);
    const byShard = new Map<number, Contribution[]>();
    for (const event of events) {
      const { value: consented, country } = placed(event);
      if (!consented(event)) continue;
      const partition = partitionOf(event, config, country);
      if (partition === null) continue;
      const unit = await privacyUnit(site.id, event.anonymousId, day);
      const value = minorUnits(event.properties?.[config.sum.property], config.sum.decimals);
      const list = byShard.get(unit.shard) ?? [];
      list.push({ unit: unit.id, partition, value: `${value}` });
      byShard.set(unit.shard, list);
    }
    const bounds = { maxPartitions: `${config.bounds.maxPartitionsPerUnit}`, maxValue: `${config.bounds.maxValuePerPartition}` };
    await Promise.all([...byShard].map(([shard, list]) => aggregateShard(env, site.id, shard).add(day, list, bounds)));
  } catch (error) {
    console.error(`reports: counting failed (${error instanceof Error ? error.name : 'unknown'})`);
  }
}

/** The counter object of one (site, shard). */
export function aggregateShard(env: Env, siteId: string, shard: number) {
  return env.AGGREGATES.get(env.AGGREGATES.idFromName(`${siteId}:${shard}`));
}
