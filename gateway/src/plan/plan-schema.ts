import { z } from 'zod';

/** What happens to an event that breaks a rule: refused (listed in `rejected[]`), the offending property dropped, or kept aside. */
export const PlanMode = z.enum(['reject', 'strip', 'quarantine']);
export type PlanMode = z.infer<typeof PlanMode>;

/** JSON types a property may have (`integer` is a number without fraction). */
export const PropertyType = z.enum(['string', 'number', 'integer', 'boolean', 'object', 'array', 'null']);
export type PropertyType = z.infer<typeof PropertyType>;

const PropertyName = z.string().regex(/^[A-Za-z0-9_$.-]{1,128}$/, 'property names are 1-128 letters, digits, _ $ . -');
/** Track event names as sent; `$page` and `$identify` plan page and identify events. */
const EventName = z.string().min(1).max(128);
const PurposeId = z.string().regex(/^[a-z][a-z0-9_-]{0,31}$/, 'purpose ids are lowercase letters, digits, - and _');
const RetentionClass = z.string().regex(/^[a-z][a-z0-9_-]{0,31}$/);
/** ISO 8601 durations without fractions (P30D, PT12H), as in the consent policy. */
const Duration = z.string().regex(/^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$/, 'an ISO 8601 duration such as P30D');

export const PropertyRule = z
  .strictObject({
    type: z.union([PropertyType, z.array(PropertyType).min(1).max(7)]),
    required: z.boolean().default(false),
    description: z.string().max(500).optional(),
    /** Allowed values (strings, numbers or booleans). */
    enum: z.array(z.union([z.string().max(256), z.number(), z.boolean()])).min(1).max(500).optional(),
    /** Numbers: inclusive range. */
    min: z.number().optional(),
    max: z.number().optional(),
    /** Strings: length bounds and a pattern (JavaScript regular expression, at most 200 characters). */
    minLength: z.number().int().min(0).optional(),
    maxLength: z.number().int().min(0).optional(),
    pattern: z.string().min(1).max(200).optional(),
    /** The consent purposes this property needs (documentation for the privacy review; see README). */
    purposes: z.array(PurposeId).max(16).optional(),
    /** Overrides the event's mode for this property. */
    mode: PlanMode.optional(),
  })
  .refine((r) => r.min === undefined || r.max === undefined || r.min <= r.max, { message: 'min must not exceed max', path: ['min'] })
  .refine((r) => r.minLength === undefined || r.maxLength === undefined || r.minLength <= r.maxLength, { message: 'minLength must not exceed maxLength', path: ['minLength'] });
export type PropertyRule = z.infer<typeof PropertyRule>;

export const PlannedEvent = z.strictObject({
  description: z.string().max(500).optional(),
  /** The mode of this event's violations (default: the plan's `mode`). */
  mode: PlanMode.optional(),
  properties: z.record(PropertyName, PropertyRule).default({}),
  /** Properties the plan does not name: kept, dropped, or a violation in `mode` (default: the plan's). */
  unplannedProperties: z.enum(['allow', 'strip', 'reject', 'quarantine']).optional(),
  /** Names a class of `retentionClasses` (documentation of the event's lifetime). */
  retention: RetentionClass.optional(),
});
export type PlannedEvent = z.infer<typeof PlannedEvent>;

/** A site's tracking plan: the events it may send, their properties and types, and what breaking it does. */
export const PlanShape = z.strictObject({
  version: z.literal(1),
  /** Default mode of violations. */
  mode: PlanMode.default('reject'),
  /** Events the plan does not name: accepted as they are, accepted without their properties, or rejected. */
  unplannedEvents: z.enum(['allow', 'strip', 'reject']).default('allow'),
  unplannedProperties: z.enum(['allow', 'strip', 'reject', 'quarantine']).default('strip'),
  events: z.record(EventName, PlannedEvent),
  retentionClasses: z.record(RetentionClass, Duration).optional(),
  /** The site's minimization at ingest (gateway/src/minimize; defaults there). */
  minimization: z
    .strictObject({
      ip: z.enum(['keep', 'truncate', 'drop']).optional(),
      userAgent: z.enum(['keep', 'generalize', 'drop']).optional(),
      keepClickIds: z.boolean().optional(),
      keepParams: z.array(z.string().regex(/^[A-Za-z0-9_-]{1,64}$/)).max(100).optional(),
      dropParams: z.array(z.string().regex(/^[A-Za-z0-9_-]{1,64}$/)).max(100).optional(),
      dropPropertyKeys: z.array(z.string().regex(/^[A-Za-z0-9_-]{1,64}$/)).max(100).optional(),
      scrubPropertyText: z.boolean().optional(),
    })
    .optional(),
});
export type TrackingPlan = z.infer<typeof PlanShape>;
