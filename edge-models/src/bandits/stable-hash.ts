/** 2^-32: a uint32 hash as a bucket in [0, 1). */
const UINT32_SCALE = 1 / 4294967296;

/**
 * FNV-1a (32-bit) over the UTF-8 bytes of `key`, then a murmur3 finalizer so nearby keys spread
 * evenly: the same key gets the same bucket in workerd, Node and every browser, forever.
 * @example
 * stableBucket('exp-1:holdout:visitor-42'); // a fixed number in [0, 1)
 */
export function stableBucket(key: string): number {
  let h = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(key)) {
    h ^= byte;
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) * UINT32_SCALE;
}

/**
 * True when a visitor belongs to an experiment's incrementality holdout: a fixed share of
 * visitors, chosen by a stable hash of (experiment, visitor) so it never changes between
 * requests, isolates or policy versions, and is independent across experiments.
 * @example
 * inHoldout('hero', 'visitor-42', 0.1); // the same answer every time
 */
export function inHoldout(experimentId: string, visitorId: string, share: number): boolean {
  return share > 0 && stableBucket(`${experimentId}:holdout:${visitorId}`) < share;
}
