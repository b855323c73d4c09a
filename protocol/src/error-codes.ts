/**
 * Every client-visible error code. Responses carry `{ error: { code, message } }`;
 * per-event rejections in a batch carry `{ index, code, message }`.
 */
export const ErrorCode = {
  MalformedJson: 'malformed_json',
  MalformedYaml: 'malformed_yaml',
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
  NotFound: 'not_found',
  MethodNotAllowed: 'method_not_allowed',
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
