import { ErrorCode } from '@sluice/protocol';
import { ApiError } from '../http/api-error.ts';
import { redactSecrets } from '../minimize/index.ts';

/** Which of our own stores failed. */
export type StorageStage = 'kv' | 'event-id-ledger' | 'd1' | 'queue';

/** Our own storage failed: the only thing ingest answers 503 for. */
export class StorageUnavailable extends Error {
  constructor(
    readonly stage: StorageStage,
    override readonly cause: unknown,
  ) {
    super(`${stage} unavailable`);
    this.name = 'StorageUnavailable';
  }
}

/**
 * Runs one storage call; its failure becomes a `StorageUnavailable` naming the store. Errors of
 * our own code or of client input stay what they are (a 4xx ApiError, or a logged 500 bug).
 * @example const fresh = await storage('event-id-ledger', () => claimEventIds(env, site.id, ids));
 */
export async function storage<T>(stage: StorageStage, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof ApiError || error instanceof StorageUnavailable) throw error;
    throw new StorageUnavailable(stage, error);
  }
}

/** Seconds a client should wait before retrying after our storage failed. */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

/**
 * Logs why storage failed — the store, the error's name and its message (messages of KV, D1,
 * Durable Objects and Queues name limits and states, never the bound values; secrets are
 * redacted and the text is cut short anyway) — and returns the 503 to answer.
 */
export function unavailableResponse(error: StorageUnavailable, route: string): ApiError {
  const cause = error.cause instanceof Error ? `${error.cause.name}: ${error.cause.message}` : typeof error.cause;
  console.error(`storage unavailable on ${route}: ${error.stage} ${redactSecrets(cause).slice(0, 200)}`);
  return new ApiError(503, ErrorCode.Unavailable, 'temporarily unavailable, retry later', { 'Retry-After': String(UNAVAILABLE_RETRY_AFTER_SECONDS) });
}
