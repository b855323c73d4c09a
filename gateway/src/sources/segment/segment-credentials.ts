/** What a Segment-shaped request authenticates with: the write key, and for server sources the source secret. */
export interface SegmentCredentials {
  writeKey: string;
  /** Present only when the client sent one (server-side sources); browsers send the write key alone. */
  sourceSecret?: string;
}

/**
 * Reads Segment's credentials: HTTP Basic with the write key as user (`Basic base64(writeKey:)`, what
 * every Segment and RudderStack library sends), else the body's `writeKey`. Segment clients have no
 * field for a second secret, so a server source is configured with `writeKey: "<write key>:<source secret>"`:
 * the libraries then send `Basic base64("<key>:<secret>:")` and `"writeKey": "<key>:<secret>"`, both
 * read here. A Basic password that is set (`<key>:<secret>`) is read as the source secret too.
 * @example segmentCredentials('Basic ' + btoa('wk_1:s3cret:'), undefined) // { writeKey: 'wk_1', sourceSecret: 's3cret' }
 */
export function segmentCredentials(authorization: string | null, bodyWriteKey: unknown): SegmentCredentials | null {
  const basic = authorization?.startsWith('Basic ') ? decodeBasic(authorization.slice('Basic '.length).trim()) : null;
  const raw = basic ?? (typeof bodyWriteKey === 'string' ? bodyWriteKey : null);
  if (!raw) return null;
  const colon = raw.indexOf(':');
  if (colon < 0) return { writeKey: raw };
  const writeKey = raw.slice(0, colon);
  // "<key>:<secret>:" (the libraries append ':' for an empty password) → the secret without that last ':'.
  const secret = raw.slice(colon + 1).replace(/:$/, '');
  return secret ? { writeKey, sourceSecret: secret } : { writeKey };
}

function decodeBasic(encoded: string): string | null {
  try {
    const binary = atob(encoded);
    return new TextDecoder().decode(Uint8Array.from(binary, (ch) => ch.charCodeAt(0)));
  } catch {
    return null;
  }
}
