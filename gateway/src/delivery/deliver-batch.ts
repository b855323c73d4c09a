import type { Env } from '../env.ts';
import type { Destination } from '../destinations/destination.ts';
import { destinationFor } from '../destinations/registry.ts';
import type { DestinationConfig } from '../site-config/site-config.ts';
import { loadSite } from '../site-config/load-site-config.ts';
import { backoffSeconds } from './backoff.ts';
import { alreadyDelivered, markDeliveredStatements } from './delivered-ledger.ts';
import type { QueuedBody } from './delivery-message.ts';
import { dropPurged } from '../rights/drop-purged.ts';
import { chunk, groupBy } from './group-messages.ts';
import { outcomeStatements, recordDeadLetters, recordOutcomes, type DeadLetter, type OutcomeEntry } from './delivery-log.ts';
import { expandMessages, MAX_RETRIES, settleUnits, type DeliveryUnit, type ExpandedBatch } from './delivery-units.ts';

type Msg = DeliveryUnit;
type AnyDestination = Destination<DestinationConfig, unknown>;

/**
 * Queue consumer: sends messages per (site, destination) in vendor-sized requests.
 * Before sending: stale items are dead-lettered alone, ids the destination already accepted are
 * acked as duplicates. Success acks and records the ids; retryable failures retry with jittered
 * backoff honouring Retry-After (the queue moves them to the dead-letter queue after max_retries);
 * a permanent failure of a multi-item request is split in halves until the bad items are isolated,
 * so one bad event cannot fail its batch.
 */
export async function deliverBatch(batch: MessageBatch<QueuedBody>, env: Env, now = Date.now()): Promise<void> {
  // Batch messages (one per ingest request and destination) are handled item by item, exactly as
  // single-item messages; settleUnits then acks, retries or re-queues each message's remainder.
  const expanded = expandMessages(batch.messages);
  // Items of people deleted since they were queued are acked unsent (rights/drop-purged.ts).
  const live = await dropPurged(env.DB, expanded.units);
  const groups = groupBy(live, (m) => `${m.body.siteId}\u0000${m.body.destinationKey}`);
  await Promise.all([...groups.values()].map((messages) => deliverGroup(messages, env, now, expanded)));
  await settleUnits(env, expanded);
}

async function deliverGroup(messages: Msg[], env: Env, now: number, expanded: ExpandedBatch): Promise<void> {
  const { siteId, destinationKey } = messages[0]!.body;
  const config = (await loadSite(env.CONFIG, siteId))?.destinations[destinationKey];
  if (!config) {
    await deadLetter(env, messages.map((message) => ({ message, reason: `destination ${destinationKey} is not configured` })));
    return;
  }
  for (const message of messages) expanded.setType(message, config.type);
  const destination = destinationFor(config);
  const fresh = await setAsideDuplicates(await dropExpired(messages, env, now), env);
  const stale: Array<{ message: Msg; reason: string }> = [];
  const sendable: Msg[] = [];
  for (const message of fresh) {
    const reason = destination.staleReason?.(message.body.item, now);
    if (reason) stale.push({ message, reason });
    else sendable.push(message);
  }
  await deadLetter(env, stale, destination);
  const byKey = groupBy(sendable, (m) => destination.batchKey?.(m.body.item) ?? '');
  for (const sameKey of byKey.values()) {
    for (const part of chunk(sameKey, destination.maxBatchSize)) await sendIsolating(part, destination, config, env);
  }
}

/**
 * Acks items older than the policy lets a delivery wait (`retention.deliveryQueue`): they are
 * logged as expired and kept nowhere, not dead-lettered (that would retain them longer).
 */
async function dropExpired(messages: Msg[], env: Env, now: number): Promise<Msg[]> {
  const expired = messages.filter((m) => m.body.expiresAt !== undefined && m.body.expiresAt < now);
  if (!expired.length) return messages;
  await recordOutcomes(env, expired.map((m) => ({ message: m.body, outcome: 'expired' })));
  expired.forEach((m) => m.ack());
  return messages.filter((m) => !expired.includes(m));
}

/** Acks messages whose event id the destination already accepted (or that repeat inside this batch). */
async function setAsideDuplicates(messages: Msg[], env: Env): Promise<Msg[]> {
  const { siteId, destinationKey } = messages[0]!.body;
  const delivered = await alreadyDelivered(env, siteId, destinationKey, messages.map((m) => m.body.eventId));
  const seen = new Set<string>();
  const fresh: Msg[] = [];
  const duplicates: Msg[] = [];
  for (const message of messages) {
    const id = message.body.eventId;
    if (delivered.has(id) || seen.has(id)) duplicates.push(message);
    else fresh.push(message);
    seen.add(id);
  }
  if (duplicates.length) {
    await recordOutcomes(env, duplicates.map((m) => ({ message: m.body, outcome: 'duplicate' })));
    duplicates.forEach((m) => m.ack());
  }
  return fresh;
}

async function sendIsolating(part: Msg[], destination: AnyDestination, config: DestinationConfig, env: Env): Promise<void> {
  // One vendor POST, one span: it continues the trace of the first item's ingest request (items of
  // several requests can share a POST); items queued without trace context start a new trace.
  const traceparent = part.find((m) => m.body.traceparent)?.body.traceparent;
  const target = { siteId: part[0]!.body.siteId, destinationKey: part[0]!.body.destinationKey, ...(traceparent && { traceparent }) };
  const outcome = await destination.send(part.map((m) => m.body.item), config, env, target);
  if (outcome.ok) {
    const rejected = new Map((outcome.rejected ?? []).map((r) => [r.index, r.reason]));
    const accepted = part.filter((_, i) => !rejected.has(i));
    await markDelivered(env, accepted);
    await deadLetter(env, [...rejected].map(([i, reason]) => ({ message: part[i]!, reason })), destination);
    return;
  }
  if (outcome.retryable) {
    // Items of batch messages count their own attempts (a re-queued remainder starts a new message).
    const exhausted = part.filter((m) => m.countsOwnRetries && m.attempts > MAX_RETRIES);
    const retried = part.filter((m) => !exhausted.includes(m));
    await recordOutcomes(env, retried.map((m) => ({ message: m.body, outcome: 'retried', detail: outcome.reason })));
    retried.forEach((m) => m.retry({ delaySeconds: backoffSeconds(m.attempts, outcome.retryAfterSeconds) }));
    await deadLetter(env, exhausted.map((message) => ({ message, reason: `retries exhausted after ${message.attempts} attempts; last: ${outcome.reason}` })), destination);
    return;
  }
  if (part.length === 1 || outcome.wholeRequest) {
    await deadLetter(env, part.map((message) => ({ message, reason: outcome.reason })), destination);
    return;
  }
  const half = Math.ceil(part.length / 2);
  await sendIsolating(part.slice(0, half), destination, config, env);
  await sendIsolating(part.slice(half), destination, config, env);
}

async function markDelivered(env: Env, messages: Msg[]): Promise<void> {
  if (!messages.length) return;
  const { siteId, destinationKey } = messages[0]!.body;
  const entries: OutcomeEntry[] = messages.map((m) => ({ message: m.body, outcome: 'delivered' }));
  await env.DB.batch([
    ...markDeliveredStatements(env, siteId, destinationKey, messages.map((m) => m.body.eventId)),
    ...outcomeStatements(env, entries),
  ]);
  messages.forEach((m) => m.ack());
}

/** Stores dead letters (in their storable form, without clear IPs) and acks the messages. */
async function deadLetter(env: Env, letters: Array<{ message: Msg; reason: string }>, destination?: AnyDestination): Promise<void> {
  if (!letters.length) return;
  const stored: DeadLetter[] = letters.map(({ message, reason }) => ({
    message: { ...message.body, item: storable(message.body.item, destination) },
    reason,
  }));
  await recordDeadLetters(env, stored);
  letters.forEach(({ message }) => message.ack());
}

/** Without its adapter we cannot tell which fields are personal: keep nothing. */
export function storable(item: unknown, destination: AnyDestination | undefined): unknown {
  if (!destination) return {};
  return destination.forStorage ? destination.forStorage(item) : item;
}
