import { ErrorCode, type ErrorBody } from '@sluice/protocol';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** The one HTTP error type of the gateway; `app.onError` turns it into the JSON error body. */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: ErrorCode,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }

  toBody(): ErrorBody {
    return { error: { code: this.code, message: this.message } };
  }
}

/** Anything that is not an ApiError is our fault: answer 500 without leaking internals. */
export function internalError(): ApiError {
  return new ApiError(500, ErrorCode.Internal, 'internal error');
}
