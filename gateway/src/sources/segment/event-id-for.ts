const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Sluice's event id for a Segment `messageId`: the id itself when it is a UUID, else a UUID (version
 * 8, RFC 9562 §5.8) made from SHA-256 of the message id. The same messageId always gives the same
 * id, so a client's retry is a duplicate at ingest, and vendors deduplicate on it like any event id.
 * @example await eventIdFor('ajs-next-1f0e…') // '3b0c…-…-8…' (stable)
 */
export async function eventIdFor(messageId: string): Promise<string> {
  if (UUID.test(messageId)) return messageId.toLowerCase();
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(`segment:${messageId}`)));
  digest[6] = (digest[6]! & 0x0f) | 0x80; // version 8
  digest[8] = (digest[8]! & 0x3f) | 0x80; // RFC 9562 variant
  const hex = [...digest.subarray(0, 16)].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
