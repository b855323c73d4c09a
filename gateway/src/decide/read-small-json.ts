import { ErrorCode } from '@sluice/protocol';
import { ApiError } from '../http/api-error.ts';

/** A decide or reward body is a few hundred bytes; 16 KB leaves room for a large context. */
export const MAX_DECIDE_BODY_BYTES = 16 * 1024;

/** Reads a small JSON body (400 malformed, 413 too large). */
export async function readSmallJson(request: Request, limit = MAX_DECIDE_BODY_BYTES): Promise<unknown> {
  const text = await request.text();
  if (new TextEncoder().encode(text).length > limit) throw new ApiError(413, ErrorCode.PayloadTooLarge, `body over ${limit} bytes`);
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError(400, ErrorCode.MalformedJson, 'body is not valid JSON');
  }
}

/** Our own storage failing is not the client's fault: 503 and a retry hint, never 500. */
export function unavailable(): never {
  throw new ApiError(503, ErrorCode.Unavailable, 'temporarily unavailable, retry later', { 'Retry-After': '5' });
}
