import { z } from 'zod';
import { EventContext } from './context.ts';
import { ConsentSignals } from './consent-signals.ts';
import { UserFields } from './user.ts';
import { MAX_PROPERTY_DEPTH, MAX_PROPERTY_NODES, MAX_STRING_LENGTH } from './limits.ts';
import { jsonShapeProblem } from './json-shape.ts';

/**
 * JSON values only, bounded in depth and node count (checked iteratively, before anything recurses
 * into them) and in size.
 */
const Properties = z.record(z.string().max(128), z.unknown()).superRefine((props, ctx) => {
  const shape = jsonShapeProblem(props, MAX_PROPERTY_DEPTH, MAX_PROPERTY_NODES);
  if (shape) ctx.addIssue({ code: 'custom', message: `properties ${shape}` });
  else if (JSON.stringify(props).length > 32 * 1024) ctx.addIssue({ code: 'custom', message: 'properties must serialize to at most 32 KB' });
});

const base = {
  /** UUID; the dedup key shared with browser pixels (Meta `event_id`, TikTok `event_id`). */
  eventId: z.uuid(),
  /** ISO 8601 time the event happened on the device. */
  timestamp: z.iso.datetime({ offset: true }),
  anonymousId: z.string().min(1).max(128),
  userId: z.string().min(1).max(256).optional(),
  properties: Properties.optional(),
  user: UserFields.optional(),
  context: EventContext.optional(),
  consent: ConsentSignals.optional(),
  /**
   * The sender's per-destination switches (Segment's and RudderStack's `integrations`, names such as
   * `All`, `Facebook Conversions API`, `Google Analytics 4`): they can only narrow what consent
   * allows, never widen it (gateway `sources/integrations-skip.ts` maps the names).
   */
  integrations: z
    .record(z.string().min(1).max(128), z.boolean())
    .refine((switches) => Object.keys(switches).length <= 64, 'at most 64 integrations')
    .optional(),
};

export const TrackEvent = z.strictObject({
  type: z.literal('track'),
  event: z.string().trim().min(1).max(128),
  ...base,
});
export const PageEvent = z.strictObject({
  type: z.literal('page'),
  name: z.string().max(MAX_STRING_LENGTH).optional(),
  ...base,
});
export const IdentifyEvent = z.strictObject({ type: z.literal('identify'), ...base });

/** One event on the wire. */
export const Event = z.discriminatedUnion('type', [TrackEvent, PageEvent, IdentifyEvent]);
export type Event = z.infer<typeof Event>;
export type TrackEvent = z.infer<typeof TrackEvent>;
export type PageEvent = z.infer<typeof PageEvent>;
export type IdentifyEvent = z.infer<typeof IdentifyEvent>;
/** What a client builds before the wire: same shape, typed loosely where the SDK fills defaults. */
export type EventType = Event['type'];
