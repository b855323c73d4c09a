import { ErrorCode, type Event, type EventRejection } from '@sluice/protocol';
import { readSecGpc } from '@sluice/consent';
import type { Env } from '../env.ts';
import type { SiteConfig } from '../site-config/site-config.ts';
import { minimizationRules, minimizeEvents, type MinimizationRules } from '../minimize/index.ts';
import { requestLocation } from '../consent/request-location.ts';
import { indexSubjects } from '../rights/subject-index.ts';
import { dropSuppressed } from '../rights/suppression.ts';
import { storage } from '../ingest/storage-unavailable.ts';
import { checkEvent, planName, type PlanViolation } from './check-event.ts';
import { loadLivePlan } from './live-plan.ts';
import { observeTypes } from './observe-types.ts';
import { quarantinable, storeQuarantine, type QuarantineFacts } from './quarantine.ts';
import { countViolations } from './violation-counts.ts';

type Indexed = { index: number; event: Event };

/** What ingest goes on with after the plan: the events to deliver, all rejections (by index), the site's minimization. */
export interface PlannedBatch {
  events: Indexed[];
  rejected: EventRejection[];
  minimization: MinimizationRules;
  quarantined: number;
}

/**
 * Ingest's one call into the tracking plan, before anything is stored: every event is minimized
 * by the site's rules (URLs, properties, user agent), its names and types are observed for the
 * plan draft, and — when the site has a plan — checked: rejected events join `rejected[]` with path
 * and rule, stripped ones go on without the offending properties, quarantined ones are kept aside in
 * D1 (hashed, scrubbed) and listed in `rejected[]` as quarantined. Violations are counted per event and rule.
 * @example const planned = await applyTrackingPlan(c.env, site, parsed, c.req.raw, Date.now())
 */
export async function applyTrackingPlan(env: Env, site: SiteConfig, parsed: { events: Indexed[]; rejected: EventRejection[] }, request: Request, now: number): Promise<PlannedBatch> {
  const live = await storage('kv', () => loadLivePlan(env.CONFIG, site.id));
  const minimization = minimizationRules(live?.plan.minimization);
  const clean = minimizeEvents(parsed.events.map((e) => e.event), minimization);
  const events = parsed.events.map(({ index }, i) => ({ index, event: clean[i]! }));
  await storage('d1', () => observeTypes(env.DB, site.id, events.map((e) => e.event), now));
  if (!live) return { events, rejected: parsed.rejected, minimization, quarantined: 0 };

  const kept: Indexed[] = [];
  const rejected = [...parsed.rejected];
  const quarantine: Array<{ event: Event; violations: PlanViolation[]; facts: QuarantineFacts }> = [];
  const counted: Array<{ event: string; violation: PlanViolation }> = [];
  let facts: QuarantineFacts | undefined;
  for (const { index, event } of events) {
    const verdict = checkEvent(live.plan, event);
    for (const violation of verdict.violations) counted.push({ event: planName(event), violation });
    if (verdict.action === 'accept') {
      kept.push({ index, event: verdict.event });
      continue;
    }
    const deciding = verdict.violations.filter((v) => v.action === verdict.action);
    const what = deciding.map((v) => `${v.path}: ${v.message} (rule ${v.rule})`).join('; ');
    rejected.push({ index, code: ErrorCode.PlanViolation, message: verdict.action === 'quarantine' ? `quarantined by the tracking plan: ${what}` : what });
    if (verdict.action === 'quarantine') {
      facts ??= quarantineFacts(request, env);
      quarantine.push({ event: await quarantinable(event), violations: verdict.violations, facts });
    }
  }
  rejected.sort((a, b) => a.index - b.index);
  if (quarantine.length) {
    const ids = new Set(quarantine.map((q) => q.event.eventId));
    // A forgotten person's events are not kept aside either (counted as suppressed); the answer stays the same.
    const { kept: originals } = await storage('d1', () => dropSuppressed(env.DB, site.id, events.filter((e) => ids.has(e.event.eventId)).map((e) => e.event), now));
    const keep = new Set(originals.map((e) => e.eventId));
    const rows = quarantine.filter((q) => keep.has(q.event.eventId));
    if (rows.length) await storage('d1', () => storeQuarantine(env.DB, site.id, live.version, rows, now));
    // The subject index holds the original identifiers' keys, so a deletion reaches quarantined rows.
    await storage('d1', () => indexSubjects(env.DB, site.id, originals, now));
  }
  if (counted.length) await storage('d1', () => countViolations(env.DB, site.id, counted, now));
  return { events: kept, rejected, minimization, quarantined: quarantine.length };
}

function quarantineFacts(request: Request, env: Env): QuarantineFacts {
  const location = requestLocation(request, env.GEO_OVERRIDE);
  return { ...(location.country && { country: location.country }), ...(location.region && { region: location.region }), secGpc: readSecGpc(request.headers) };
}
