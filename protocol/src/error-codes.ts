/**
 * Every client-visible error code. Responses carry `{ error: { code, message } }`;
 * per-event rejections in a batch carry `{ index, code, message }`.
 */
export const ErrorCode = {
  MalformedJson: 'malformed_json',
  MalformedYaml: 'malformed_yaml',
  /** The request body ended before its end (connection cut, truncated stream). */
  BodyIncomplete: 'body_incomplete',
  /** A path or query id (site id, dead-letter id) outside its charset or length. */
  InvalidId: 'invalid_id',
  InvalidBatch: 'invalid_batch',
  InvalidEvent: 'invalid_event',
  InvalidPolicy: 'invalid_policy',
  PayloadTooLarge: 'payload_too_large',
  TooManyEvents: 'too_many_events',
  UnknownWriteKey: 'unknown_write_key',
  MissingWriteKey: 'missing_write_key',
  OriginNotAllowed: 'origin_not_allowed',
  ConsentDenied: 'consent_denied',
  DuplicateEvent: 'duplicate_event',
  RateLimited: 'rate_limited',
  Unauthorized: 'unauthorized',
  /** A valid token without the right for this request (the read-only admin token on a write). */
  Forbidden: 'forbidden',
  /** An event the site's tracking plan rejects (path and rule in the message). */
  PlanViolation: 'plan_violation',
  NotFound: 'not_found',
  MethodNotAllowed: 'method_not_allowed',
  /** Reports (issue 11): a query the report API cannot answer as asked. */
  InvalidQuery: 'invalid_query',
  /** Reports: the site's privacy budget for a day in the range is spent. */
  BudgetExhausted: 'budget_exhausted',
  /** Reports: the same query is being released right now; retry to get the stored answer. */
  ReportInProgress: 'report_in_progress',
  /** Reports: an idempotency key reused for a different query. */
  IdempotencyConflict: 'idempotency_conflict',
  UnsupportedMediaType: 'unsupported_media_type',
  Unavailable: 'unavailable',
  Internal: 'internal_error',
  Conflict: 'conflict',
  InvalidModel: 'invalid_model',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** The JSON body of every error response. */
export interface ErrorBody {
  error: { code: ErrorCode; message: string };
}

/** One rejected event inside an otherwise accepted batch. */
export interface EventRejection {
  index: number;
  code: ErrorCode;
  message: string;
}
