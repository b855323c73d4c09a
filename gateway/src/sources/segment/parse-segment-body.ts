import { ErrorCode, Event, MAX_BATCH_EVENTS, type EventRejection } from '@sluice/protocol';
import { ApiError } from '../../http/api-error.ts';
import type { ParsedEvents } from '../../ingest/accept-events.ts';
import { SEGMENT_TYPES, toSluiceEvent, type SegmentType } from './to-sluice-event.ts';

/**
 * A Segment request body as Sluice events: one message (`/v1/track` …, the type from the path) or
 * `{ batch: [...] }` (`/v1/batch`, each message carrying its `type`). A message that does not map
 * to a valid event is rejected by index with the field named (never its value); the rest go on.
 */
export async function parseSegmentBody(json: unknown, call: SegmentType | 'batch', receivedAt: number): Promise<ParsedEvents> {
  if (!isObject(json)) throw new ApiError(400, ErrorCode.InvalidBatch, 'body must be a JSON object');
  const messages: unknown[] = call === 'batch' ? (Array.isArray(json.batch) ? json.batch : invalid('batch must be an array')) : [json];
  if (messages.length > MAX_BATCH_EVENTS) throw new ApiError(413, ErrorCode.TooManyEvents, `a batch holds at most ${MAX_BATCH_EVENTS} messages`);
  const parsed: ParsedEvents = { events: [], rejected: [] };
  for (const [index, message] of messages.entries()) {
    const type = call === 'batch' ? (isObject(message) ? message.type : undefined) : call;
    if (!isObject(message) || !SEGMENT_TYPES.includes(type as SegmentType)) {
      parsed.rejected.push(rejection(index, `type: must be one of ${SEGMENT_TYPES.join(', ')}`));
      continue;
    }
    const result = Event.safeParse(await toSluiceEvent(message, type as SegmentType, json.sentAt, receivedAt));
    if (result.success) parsed.events.push({ index, event: result.data });
    else parsed.rejected.push(rejection(index, result.error.issues.slice(0, 5).map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`).join('; ')));
  }
  return parsed;
}

function rejection(index: number, message: string): EventRejection {
  return { index, code: ErrorCode.InvalidEvent, message };
}

function invalid(message: string): never {
  throw new ApiError(400, ErrorCode.InvalidBatch, message);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
