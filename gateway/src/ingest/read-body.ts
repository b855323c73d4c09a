import { ErrorCode, MAX_BATCH_BYTES } from '@sluice/protocol';
import { ApiError } from '../http/api-error.ts';

/**
 * Reads a request body as text, stopping at `limit` bytes so an oversized or lying
 * Content-Length never gets buffered whole. A body cut off mid-stream is 400 `body_incomplete`;
 * invalid UTF-8 decodes to U+FFFD (validation then rejects what it spoils).
 */
export async function readBody(request: Request, limit = MAX_BATCH_BYTES): Promise<string> {
  const declared = Number(request.headers.get('content-length') ?? NaN);
  if (declared > limit) throw tooLarge(limit);
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    let next: ReadableStreamReadResult<Uint8Array>;
    try {
      next = await reader.read();
    } catch {
      // The client's connection ended mid-body (or the stream broke): its fault, never a 5xx.
      throw new ApiError(400, ErrorCode.BodyIncomplete, 'request body ended before it was complete');
    }
    const { done, value } = next;
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const c of chunks) {
    bytes.set(c, offset);
    offset += c.byteLength;
  }
  return new TextDecoder().decode(bytes);
}

function tooLarge(limit: number): ApiError {
  return new ApiError(413, ErrorCode.PayloadTooLarge, `request body exceeds ${limit} bytes`);
}
