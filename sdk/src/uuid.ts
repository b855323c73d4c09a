/**
 * RFC 4122 v4 id from the crypto RNG. `crypto.randomUUID` is exposed only in secure contexts; elsewhere
 * the same layout is filled from `getRandomValues` (version nibble 4, variant bits 10).
 */
export function uuid(): string {
  return (
    crypto.randomUUID?.() ??
    '10000000-1000-4000-8000-100000000000'.replace(/[018]/g, (c) => (+c ^ (crypto.getRandomValues(new Uint8Array(1))[0]! & (15 >> (+c / 4)))).toString(16))
  );
}
