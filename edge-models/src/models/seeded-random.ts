/**
 * A seeded PRNG (mulberry32) for deterministic training and bootstrap: the same seed gives the
 * same model bytes and the same intervals on every machine. Build-time only; never for ids or noise.
 *
 * @example
 * const next = seededRandom(42); next(); // 0.6011…
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
