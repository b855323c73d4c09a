/**
 * Tracking plans: a per-site data contract (events, properties, types, allowed values, purposes,
 * retention classes) enforced at ingest in modes reject / strip / quarantine, versioned like the
 * consent policy, with a simulator, violation counters, quarantine + replay and a drafting command.
 * @example
 * import { applyTrackingPlan } from '../plan/index.ts';
 * const planned = await applyTrackingPlan(env, site, parsed, request, Date.now());
 */
export { PlanShape, PlanMode, PropertyRule, PlannedEvent, type TrackingPlan } from './plan-schema.ts';
export { parsePlan, type PlanResult, type PlanIssue } from './parse-plan.ts';
export { checkEvent, planName, observedType, type PlanVerdict, type PlanViolation } from './check-event.ts';
export { loadLivePlan, storePlan, clearPlanCache, planKey, type LivePlan } from './live-plan.ts';
export { applyTrackingPlan, planStatements, type PlannedBatch, type QuarantineCandidate } from './apply-tracking-plan.ts';
export { draftPlan, type Observation } from './draft-plan.ts';
export { replayQuarantine, type ReplayResult } from './replay-quarantine.ts';
export { planAdminRoute } from './plan-admin-route.ts';
