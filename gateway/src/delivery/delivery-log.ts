import type { Env } from '../env.ts';
import type { DeliveryMessage } from './delivery-message.ts';
import { insertRows } from './d1-chunks.ts';

/** What happened to one message at one destination; the per-destination status counts these. */
export type DeliveryOutcome = 'delivered' | 'retried' | 'dead_lettered' | 'duplicate' | 'dropped_consent' | 'replayed' | 'expired' | 'invalid_phone' | 'skipped_integrations';

export interface OutcomeEntry {
  message: Pick<DeliveryMessage, 'siteId' | 'destinationKey' | 'eventId'>;
  outcome: DeliveryOutcome;
  /** Vendor reason for failures. Never personal data: reasons come from vendors' error texts and our own. */
  detail?: string;
}

/** D1 statements appending outcomes to `delivery_log` (event id and destination only: no payload). */
export function outcomeStatements(env: Env, entries: OutcomeEntry[], now = Date.now()): D1PreparedStatement[] {
  const rows = entries.map((e) => [e.message.siteId, e.message.destinationKey, e.message.eventId, e.outcome, e.detail ?? null, now]);
  return insertRows(env.DB, 'INSERT INTO delivery_log (site_id, destination, event_id, outcome, detail, created_at) VALUES', rows);
}

/** Appends outcomes to `delivery_log`. */
export async function recordOutcomes(env: Env, entries: OutcomeEntry[]): Promise<void> {
  const statements = outcomeStatements(env, entries);
  if (statements.length) await env.DB.batch(statements);
}

/** Appends one delivery outcome. */
export async function recordOutcome(env: Env, message: DeliveryMessage, outcome: DeliveryOutcome, detail?: string): Promise<void> {
  await recordOutcomes(env, [{ message, outcome, ...(detail === undefined ? {} : { detail }) }]);
}

/**
 * Counts events that consent kept from a destination (called by ingest when the consent engine
 * denies a destination). Only ids are stored.
 */
export async function recordConsentDrops(env: Env, siteId: string, destinationKey: string, eventIds: string[]): Promise<void> {
  await recordOutcomes(env, eventIds.map((eventId) => ({ message: { siteId, destinationKey, eventId }, outcome: 'dropped_consent' })));
}

/**
 * Counts events whose phone number could not be read as a number of any region for a destination
 * (sent without it), all destinations in one D1 batch. Only event ids: the number itself is never
 * stored or logged.
 */
export async function recordInvalidPhones(env: Env, siteId: string, eventIdsByDestination: ReadonlyMap<string, string[]>): Promise<void> {
  const entries: OutcomeEntry[] = [];
  for (const [destinationKey, eventIds] of eventIdsByDestination) {
    for (const eventId of eventIds) entries.push({ message: { siteId, destinationKey, eventId }, outcome: 'invalid_phone' });
  }
  await recordOutcomes(env, entries);
}

/** A dead letter to store: `item` must already be in its storable form (see `Destination.forStorage`). */
export interface DeadLetter {
  message: DeliveryMessage;
  reason: string;
}

/** Stores dead letters with the vendor's reason and logs them, in one D1 batch. */
export async function recordDeadLetters(env: Env, letters: DeadLetter[], now = Date.now()): Promise<void> {
  if (!letters.length) return;
  const rows = letters.map((l) => [l.message.siteId, l.message.destinationKey, l.message.eventId, l.reason, JSON.stringify(l.message.item), now]);
  await env.DB.batch([
    ...insertRows(env.DB, 'INSERT INTO dead_letters (site_id, destination, event_id, reason, payload, created_at) VALUES', rows),
    ...outcomeStatements(env, letters.map((l) => ({ message: l.message, outcome: 'dead_lettered', detail: l.reason })), now),
  ]);
}

/** Stores one dead letter (kept for callers of the first version). */
export async function recordDeadLetter(env: Env, message: DeliveryMessage, reason: string): Promise<void> {
  await recordDeadLetters(env, [{ message, reason }]);
}
