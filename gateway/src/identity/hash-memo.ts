import { sha256HexSync } from './sha256-sync.ts';

/**
 * One request's SHA-256 work: each distinct normalized text is hashed once, however many events
 * and destinations carry it (a batch of 50 events of one visitor to four destinations hashes the
 * email once, not 200 times). Lives for one request only: it holds normalized personal data in
 * memory and must never be kept, logged or shared across requests.
 */
export interface HashMemo {
  sha256Hex(text: string): string;
  /** Distinct texts hashed so far. */
  readonly size: number;
}

/**
 * A fresh memo; create one per request (`requestFacts` does) and drop it with the request.
 * @example const memo = createHashMemo(); memo.sha256Hex('jane@example.com') === memo.sha256Hex('jane@example.com')
 */
export function createHashMemo(hash: (text: string) => string = sha256HexSync): HashMemo {
  const digests = new Map<string, string>();
  return {
    sha256Hex(text) {
      let digest = digests.get(text);
      if (digest === undefined) {
        digest = hash(text);
        digests.set(text, digest);
      }
      return digest;
    },
    get size() {
      return digests.size;
    },
  };
}
