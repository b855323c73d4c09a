/**
 * @sluice/protocol — the v1 wire contract shared by the SDK and the gateway.
 * @example
 * import { Event } from '@sluice/protocol';
 * const parsed = Event.safeParse(json);
 */
export { PROTOCOL_VERSION } from './version.ts';
export { MAX_BATCH_EVENTS, MAX_BATCH_BYTES, KEEPALIVE_MAX_BYTES, MAX_STRING_LENGTH, MAX_PROPERTY_DEPTH, MAX_PROPERTY_NODES } from './limits.ts';
export { jsonShapeProblem } from './json-shape.ts';
export { ErrorCode, type ErrorBody, type EventRejection } from './error-codes.ts';
export { StandardEvent } from './event-names.ts';
export { UserFields } from './user.ts';
export { EventContext, ClickIds, Utm, RelayedLocation } from './context.ts';
export { ConsentSignals, ConsentModeState } from './consent-signals.ts';
export { Event, TrackEvent, PageEvent, IdentifyEvent, type EventType } from './event.ts';
export { BatchEnvelope, type Batch, type BatchResult } from './batch.ts';
export { retryDelay, retryAfterMs, type BackoffPolicy } from './retry-delay.ts';
