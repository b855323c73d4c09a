import { ErrorCode } from '@sluice/protocol';
import { ApiError } from '../../http/api-error.ts';

/** Admin bodies are small documents; 256 KB is far above any real policy or simulate request. */
export const MAX_ADMIN_BODY_BYTES = 256 * 1024;

/** Reads a JSON body or throws 400/413 with a clear code. */
export async function readJson(request: Request): Promise<unknown> {
  const text = await request.text();
  if (text.length > MAX_ADMIN_BODY_BYTES) throw new ApiError(413, ErrorCode.PayloadTooLarge, `body over ${MAX_ADMIN_BODY_BYTES} bytes`);
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError(400, ErrorCode.MalformedJson, 'body is not valid JSON');
  }
}
