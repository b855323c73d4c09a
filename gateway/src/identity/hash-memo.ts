import { readPhone, type PhoneReading } from './normalize-phone.ts';
import { sha256HexSync } from './sha256-sync.ts';

/**
 * One request's identity work: each distinct normalized text is hashed once, and each distinct
 * phone number read once (libphonenumber is the costly step), however many events and
 * destinations carry them (a batch of 50 events of one visitor to four destinations hashes the
 * email once, not 200 times). Lives for one request only: it holds normalized personal data in
 * memory and must never be kept, logged or shared across requests.
 */
export interface HashMemo {
  sha256Hex(text: string): string;
  /** `readPhone`, once per distinct number and region list. */
  readPhone(raw: string, regions: readonly string[]): PhoneReading;
  /** Distinct texts hashed so far. */
  readonly size: number;
}

/**
 * A fresh memo; create one per request (`requestFacts` does) and drop it with the request.
 * @example const memo = createHashMemo(); memo.sha256Hex('jane@example.com') === memo.sha256Hex('jane@example.com')
 */
export function createHashMemo(hash: (text: string) => string = sha256HexSync): HashMemo {
  const digests = new Map<string, string>();
  const phones = new Map<string, PhoneReading>();
  return {
    readPhone(raw, regions) {
      // A NUL cannot occur in either part of a typed number or a region code: an unambiguous key.
      // A number written with `+` reads the same whatever the default regions (libphonenumber
      // ignores them for it, and `readPhone` tries the same text as written after them): one reading
      // for every destination and the subject keys (issue 14; `hash-memo.test.ts` holds it to that).
      const key = raw.trimStart().startsWith('+') ? `+\0${raw}` : `${regions.join(',')}\0${raw}`;
      let reading = phones.get(key);
      if (reading === undefined) {
        reading = readPhone(raw, regions);
        phones.set(key, reading);
      }
      return reading;
    },
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
