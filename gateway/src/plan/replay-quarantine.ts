import type { Env } from '../env.ts';
import type { SiteConfig } from '../site-config/site-config.ts';
import { claimEventIds } from '../dedup/claim-event-ids.ts';
import { consentPlanner } from '../consent/consent-planner.ts';
import { enqueueDeliveries } from '../ingest/enqueue-deliveries.ts';
import { checkEvent } from './check-event.ts';
import { consentWithholding } from './consent-withholding.ts';
import type { LivePlan } from './live-plan.ts';
import { listQuarantine, type QuarantineFacts } from './quarantine.ts';

export interface ReplayResult {
  /** Passed the live plan and were queued to the destinations. */
  replayed: number;
  /** Still break the live plan (reject or quarantine): left in quarantine. */
  stillViolating: number;
  /** Passed, but their event id had been accepted meanwhile. */
  duplicates: number;
}

/**
 * Runs quarantined events through the live plan again (after the plan was fixed). Those that pass
 * are queued as ingest would have (consent decided again with the stored country, region and GPC)
 * and marked replayed; the rest stay. Replayed events carry hashed identifiers only.
 * @example await replayQuarantine(env, site, live, { limit: 100 })
 */
export async function replayQuarantine(env: Env, site: SiteConfig, live: LivePlan, options: { limit: number; ids?: number[] }, now = Date.now()): Promise<ReplayResult> {
  const rows = await listQuarantine(env.DB, site.id, { limit: options.limit, open: true, ...(options.ids && { ids: options.ids }) });
  const result: ReplayResult = { replayed: 0, stillViolating: 0, duplicates: 0 };
  // One consent planner per distinct (country, region, GPC): rows of one visitor share it.
  const groups = new Map<string, { facts: QuarantineFacts; rows: typeof rows }>();
  for (const row of rows) {
    const key = JSON.stringify(row.facts);
    const group = groups.get(key) ?? { facts: row.facts, rows: [] };
    group.rows.push(row);
    groups.set(key, group);
  }
  for (const { facts, rows: group } of groups.values()) {
    const request = new Request('https://replay.sluice.invalid/', {
      headers: facts.secGpc ? { 'sec-gpc': '1' } : {},
      cf: { ...(facts.country && { country: facts.country }), ...(facts.region && { regionCode: facts.region }) },
    } as RequestInit);
    const planner = await consentPlanner(env, site, request);
    // Properties the visitor's consent does not cover stay out on replay too (and excuse `required`).
    const withhold = await consentWithholding(live.plan, async () => planner);
    const passing: typeof rows = [];
    for (const row of group) {
      const { event, excused } = withhold(row.event);
      const verdict = checkEvent(live.plan, event, excused);
      if (verdict.action !== 'accept') {
        result.stillViolating += 1;
        continue;
      }
      row.event = verdict.event;
      passing.push(row);
    }
    if (passing.length === 0) continue;
    const fresh = await claimEventIds(env, site.id, passing.map((r) => r.event.eventId));
    const events = passing.filter((r) => fresh.has(r.event.eventId)).map((r) => r.event);
    await enqueueDeliveries(env, site, events, { ip: undefined, userAgent: undefined, receivedAt: now }, planner);
    result.replayed += events.length;
    result.duplicates += passing.length - events.length;
    const ids = passing.map((r) => r.id);
    await env.DB.prepare(`UPDATE quarantine SET replayed_at = ? WHERE site_id = ? AND id IN (${ids.map(() => '?').join(',')})`).bind(now, site.id, ...ids).run();
  }
  return result;
}
