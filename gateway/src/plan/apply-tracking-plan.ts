import { ErrorCode, type Event, type EventRejection } from '@sluice/protocol';
import { readSecGpc } from '@sluice/consent';
import type { Env } from '../env.ts';
import type { SiteConfig } from '../site-config/site-config.ts';
import { minimizationRules, minimizeEvents, type MinimizationRules } from '../minimize/index.ts';
import { requestLocation } from '../consent/request-location.ts';
import { subjectIndexStatements } from '../rights/subject-index.ts';
import { storage } from '../ingest/storage-unavailable.ts';
import { checkEvent, planName, type PlanViolation } from './check-event.ts';
import { loadLivePlan } from './live-plan.ts';
import { observationStatements } from './observe-types.ts';
import { quarantinable, quarantineStatements, type QuarantineFacts } from './quarantine.ts';
import { violationStatements, type CountedViolation } from './violation-counts.ts';
import { retentionEntries, retentionStatements, type RetentionEntry } from './retention-schedule.ts';
import { consentPlanner } from '../consent/consent-planner.ts';
import { consentWithholding } from './consent-withholding.ts';

type Indexed = { index: number; event: Event };

/** What ingest goes on with after the plan: the events to deliver, all rejections (by index), the site's minimization. */
export interface PlannedBatch {
  events: Indexed[];
  rejected: EventRejection[];
  minimization: MinimizationRules;
  quarantined: number;
  /** Properties dropped because the visitor did not grant every purpose the plan declares for them (per event index). */
  withheld: Array<{ index: number; path: string; missing: string[] }>;
  /**
   * Events the plan keeps aside, not stored yet: ingest checks their people against the suppression
   * list with the rest of the batch, then `planStatements` writes them in its one D1 batch.
   */
  quarantine: QuarantineCandidate[];
  /** Observations and violation counts, for ingest's one D1 batch. */
  statements: D1PreparedStatement[];
  /** When each event of a plan event with a retention class expires (written by `planStatements`, suppressed people excepted). */
  retention: RetentionEntry[];
}

/** One event kept aside: as stored (hashed, scrubbed) and as it came (for the suppression list and subject index). */
export interface QuarantineCandidate {
  original: Event;
  row: { event: Event; violations: PlanViolation[]; facts: QuarantineFacts };
  planVersion: number;
}

/**
 * Ingest's one call into the tracking plan, before anything is stored: every event is minimized
 * by the site's rules (URLs, properties, user agent), its names and types are observed for the
 * plan draft, and — when the site has a plan — stripped of every property whose declared purposes
 * the visitor's authoritative consent does not all grant (for every destination; counted as
 * `purposes` / `withheld`), then checked: rejected events join `rejected[]` with path
 * and rule, stripped ones go on without the offending properties, quarantined ones are kept aside in
 * D1 (hashed, scrubbed) and listed in `rejected[]` as quarantined. Violations are counted per event and rule.
 * Reads the plan (KV, cached) and writes nothing: its D1 writes come back as `statements` and
 * `quarantine` for ingest's one D1 batch (issue 14).
 * @example const planned = await applyTrackingPlan(c.env, site, parsed, c.req.raw, Date.now())
 */
export async function applyTrackingPlan(env: Env, site: SiteConfig, parsed: { events: Indexed[]; rejected: EventRejection[] }, request: Request, now: number): Promise<PlannedBatch> {
  const live = await storage('kv', () => loadLivePlan(env.CONFIG, site.id));
  const minimization = minimizationRules(live?.plan.minimization);
  const clean = minimizeEvents(parsed.events.map((e) => e.event), minimization);
  const events = parsed.events.map(({ index }, i) => ({ index, event: clean[i]! }));
  const statements = observationStatements(env.DB, site.id, events.map((e) => e.event), now);
  if (!live) return { events, rejected: parsed.rejected, minimization, quarantined: 0, quarantine: [], withheld: [], statements, retention: [] };

  const kept: Indexed[] = [];
  const rejected = [...parsed.rejected];
  const quarantine: QuarantineCandidate[] = [];
  const withheld: PlannedBatch['withheld'] = [];
  const counted: Array<{ event: string; violation: CountedViolation }> = [];
  // Per-property purposes: decided by the same authoritative consent ingest uses for destinations.
  const withhold = await consentWithholding(live.plan, () => storage('kv', () => consentPlanner(env, site, request)));
  let facts: QuarantineFacts | undefined;
  for (const { index, event: minimized } of events) {
    const { event, excused, withheld: dropped } = withhold(minimized);
    for (const w of dropped) {
      withheld.push({ index, ...w });
      counted.push({ event: planName(event), violation: { path: w.path, rule: 'purposes', action: 'withheld' } });
    }
    const verdict = checkEvent(live.plan, event, excused);
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
      quarantine.push({ original: event, row: { event: await quarantinable(event), violations: verdict.violations, facts }, planVersion: live.version });
    }
  }
  rejected.sort((a, b) => a.index - b.index);
  if (counted.length) statements.push(...violationStatements(env.DB, site.id, counted, now));
  const retention = retentionEntries(live.plan, [...kept.map((k) => k.event), ...quarantine.map((q) => q.original)], now);
  return { events: kept, rejected, minimization, quarantined: quarantine.length, quarantine, withheld, statements, retention };
}

/**
 * The plan's D1 writes for ingest's one batch: observations and violation counts, retention-class
 * expiries (retention-schedule.ts), and the
 * quarantined events — except those of people on the suppression list (counted as suppressed by
 * the caller; the answer stays the same) — with their subject index rows, which hold the original
 * identifiers' keys so a deletion reaches quarantined rows.
 * @example statements.push(...(await planStatements(env.DB, site.id, planned, suppressed, now)))
 */
export async function planStatements(db: D1Database, siteId: string, planned: PlannedBatch, suppressed: ReadonlySet<Event>, now: number): Promise<D1PreparedStatement[]> {
  const kept = planned.quarantine.filter((q) => !suppressed.has(q.original));
  const gone = new Set([...suppressed].map((e) => e.eventId));
  const retention = retentionStatements(db, siteId, planned.retention.filter((r) => !gone.has(r.eventId)));
  if (kept.length === 0) return [...planned.statements, ...retention];
  return [
    ...planned.statements,
    ...retention,
    ...quarantineStatements(db, siteId, kept[0]!.planVersion, kept.map((q) => q.row), now),
    ...(await subjectIndexStatements(db, siteId, kept.map((q) => q.original), now)),
  ];
}

function quarantineFacts(request: Request, env: Env): QuarantineFacts {
  const location = requestLocation(request, env.GEO_OVERRIDE);
  return { ...(location.country && { country: location.country }), ...(location.region && { region: location.region }), secGpc: readSecGpc(request.headers) };
}
