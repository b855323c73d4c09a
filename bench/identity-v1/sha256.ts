const SHA256_HEX = /^[0-9a-fA-F]{64}$/;

/** True when a value already is a SHA-256 hex digest (either case): vendors reject double hashing silently. */
export function isSha256Hex(value: string): boolean {
  return SHA256_HEX.test(value);
}

/**
 * SHA-256 of the UTF-8 bytes, as lowercase hex.
 * @example await sha256Hex('a@b.co') // '…64 hex chars…'
 */
export async function sha256Hex(value: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(value));
  let hex = '';
  for (const byte of new Uint8Array(digest)) hex += byte.toString(16).padStart(2, '0');
  return hex;
}
