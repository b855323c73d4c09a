import type { Event } from '@sluice/protocol';
import { applyFieldTransforms, durationMs, type FieldTransform, type Minimized, type TransformMemo } from '@sluice/consent';
import { FULL_CONSENT, type RequestFacts } from '../destinations/destination.ts';
import { ItemContexts } from '../destinations/prepare-item.ts';
import { destinationFor } from '../destinations/registry.ts';
import type { Env } from '../env.ts';
import type { DestinationConfig, SiteConfig } from '../site-config/site-config.ts';
import { enqueueMessages } from '../delivery/queue-for.ts';
import { outcomeStatements, type OutcomeEntry } from '../delivery/delivery-log.ts';
import type { DeliveryBatchItem, DeliveryBatchMessage } from '../delivery/delivery-message.ts';
import { packBatchMessages } from '../delivery/pack-batch-messages.ts';
import type { ConsentPlanner } from '../consent/consent-planner.ts';
import { auditStatements, receiptsByHash, type AuditRow } from '../consent/write-audit.ts';
import { storage } from './storage-unavailable.ts';
import { integrationsSkip } from '../sources/integrations/index.ts';

export { QUEUE_SEND_BATCH_MAX } from '../delivery/queue-for.ts';

/** What one request will store and queue, computed before any storage call. */
export interface DeliveryPlan {
  messages: Array<{ type: DestinationConfig['type']; body: DeliveryBatchMessage }>;
  audit: AuditRow[];
  drops: OutcomeEntry[];
}

/**
 * Maps each event to each destination's shape (hashing here, in memory) and queues the results.
 * Storage work per request is O(1) in events: one D1 batch (each distinct receipt once, one audit
 * row per distinct receipt listing its events, consent drops, the writes `alongside`) and one queue message per destination holding all its items.
 * Under a consent policy (`planner`): denied destinations get nothing (the drop is counted in the
 * destination's status), the rest get the event minimized per policy; every decision is audited
 * before anything is queued. `alongside`: the request's other D1 writes (subject index, plan
 * observations and quarantine, suppression counts, metric counters), sent in the same one batch.
 * Returns the number of items queued.
 */
export async function enqueueDeliveries(env: Env, site: SiteConfig, events: Event[], facts: RequestFacts, planner: ConsentPlanner | null = null, alongside: D1PreparedStatement[] = []): Promise<number> {
  const plan = await planDeliveries(site, events, facts, planner);
  await commitDeliveries(env, plan, planner, facts.receivedAt, alongside);
  return plan.messages.reduce((n, m) => n + m.body.items.length, 0);
}

/** The pure part: items per destination, audit rows and drops (no storage). */
export async function planDeliveries(site: SiteConfig, events: Event[], facts: RequestFacts, planner: ConsentPlanner | null): Promise<DeliveryPlan> {
  const plan: DeliveryPlan = { messages: [], audit: [], drops: [] };
  const ttl = planner ? durationMs(planner.live.policy.retention.deliveryQueue) : undefined;
  const expiresAt = ttl === undefined ? undefined : facts.receivedAt + ttl;
  // One memo per request: URLs, IPs and values shared by the batch are transformed once.
  const memo: TransformMemo = new Map();
  const receipts = new Map<object, string>();
  // Destinations whose policy transforms are alike (all four in the example policy) share each
  // event's minimized copy: minimization is pure and adapters never mutate their input.
  const minimizedBy = new Map<string, WeakMap<Event, Promise<Minimized>>>();
  for (const [destinationKey, config] of Object.entries(site.destinations)) {
    const destination = destinationFor(config);
    const items: DeliveryBatchItem[] = [];
    const contexts = new ItemContexts(site);
    for (const event of events) {
      // Server sources: this event's end user's facts, not the sending server's (sources/relayed/).
      const eventFacts = facts.forEvent?.(event) ?? facts;
      if (!planner) {
        if (skippedBySender(plan, site.id, destinationKey, config.type, event)) continue;
        const context = contexts.for(eventFacts, eventFacts.ip);
        const item = await destination.toItem(event, context, config, FULL_CONSENT);
        if (context.issues.has('invalid_phone')) plan.drops.push({ message: { siteId: site.id, destinationKey, eventId: event.eventId }, outcome: 'invalid_phone' });
        if (item !== null) items.push({ eventId: event.eventId, item });
        continue;
      }
      const verdict = planner.verdict(event, destinationKey);
      plan.audit.push({ siteId: site.id, eventId: event.eventId, receipt: verdict.receipt });
      if (verdict.decision === 'deny') {
        plan.drops.push({ message: { siteId: site.id, destinationKey, eventId: event.eventId }, outcome: 'dropped_consent' });
        continue;
      }
      // Consent allowed it; the sender's `integrations` may still switch this destination off (never on).
      if (skippedBySender(plan, site.id, destinationKey, config.type, event)) continue;
      const minimized = await minimizedOnce(minimizedBy, event, eventFacts.ip, verdict.transforms, memo);
      const consent = { mode: verdict.mode, adUserData: verdict.adUserData, adPersonalization: verdict.adPersonalization };
      const context = contexts.for(eventFacts, minimized.ip);
      const item = await destination.toItem(minimized.event, context, config, consent);
      if (context.issues.has('invalid_phone')) plan.drops.push({ message: { siteId: site.id, destinationKey, eventId: event.eventId }, outcome: 'invalid_phone' });
      if (item === null) continue;
      let receiptHash = receipts.get(verdict.receipt);
      if (receiptHash === undefined) receipts.set(verdict.receipt, (receiptHash = (await receiptsByHash([verdict.receipt])).get(verdict.receipt)!));
      items.push({ eventId: event.eventId, item, receiptHash, ...(expiresAt !== undefined && { expiresAt }) });
    }
    for (const body of packBatchMessages(site.id, destinationKey, items, undefined, facts.traceparent)) plan.messages.push({ type: config.type, body });
  }
  return plan;
}

/** Each transform list's identity as text, built once per list object (planner verdicts are reused per isolate). */
const transformKeys = new WeakMap<readonly FieldTransform[], string>();

/** `applyFieldTransforms` once per event and distinct transform list of a request. */
function minimizedOnce(by: Map<string, WeakMap<Event, Promise<Minimized>>>, event: Event, ip: string | undefined, transforms: FieldTransform[], memo: TransformMemo): Promise<Minimized> {
  let key = transformKeys.get(transforms);
  if (key === undefined) transformKeys.set(transforms, (key = JSON.stringify(transforms)));
  let events = by.get(key);
  if (!events) by.set(key, (events = new WeakMap()));
  // An event's IP is the same for every destination (the request's, or its relayed end user's).
  let minimized = events.get(event);
  if (minimized === undefined) events.set(event, (minimized = applyFieldTransforms(event, ip, transforms, memo)));
  return minimized;
}

/** Records a drop when the event's `integrations` switch the destination off (`skipped_integrations`, the deciding key as detail). */
function skippedBySender(plan: DeliveryPlan, siteId: string, destinationKey: string, type: DestinationConfig['type'], event: Event): boolean {
  const key = integrationsSkip(event.integrations, type, destinationKey);
  if (key === undefined) return false;
  plan.drops.push({ message: { siteId, destinationKey, eventId: event.eventId }, outcome: 'skipped_integrations', detail: `integrations.${key} = false` });
  return true;
}

/**
 * The storage part: one D1 batch (audit before anything is queued, with the request's other
 * writes `alongside`), then one send per queue.
 */
export async function commitDeliveries(env: Env, plan: DeliveryPlan, planner: ConsentPlanner | null, now: number, alongside: D1PreparedStatement[] = []): Promise<void> {
  const statements = [
    ...(planner ? await auditStatements(env.DB, plan.audit, planner.live.policy.retention.auditLog, now) : []),
    ...outcomeStatements(env, plan.drops, now),
    ...alongside,
  ];
  if (statements.length) await storage('d1', () => env.DB.batch(statements));
  if (plan.messages.length) await storage('queue', () => enqueueMessages(env, plan.messages));
}

