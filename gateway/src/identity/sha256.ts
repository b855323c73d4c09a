import { sha256HexSync } from './sha256-sync.ts';

const SHA256_HEX = /^[0-9a-fA-F]{64}$/;

/** True when a value already is a SHA-256 hex digest (either case): vendors reject double hashing silently. */
export function isSha256Hex(value: string): boolean {
  return SHA256_HEX.test(value);
}

/**
 * SHA-256 of the UTF-8 bytes, as lowercase hex. Computed synchronously (`sha256HexSync`: faster in
 * workerd than `crypto.subtle` for short inputs, see bench/identity.bench.mjs); async for the callers
 * of the first version.
 * @example await sha256Hex('a@b.co') // '…64 hex chars…'
 */
export async function sha256Hex(value: string): Promise<string> {
  return sha256HexSync(value);
}
