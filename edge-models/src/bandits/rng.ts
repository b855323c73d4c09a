/** A source of uniform numbers in [0, 1). Production uses {@link cryptoRng}; tests inject {@link seededRng}. */
export type Rng = () => number;

/** 2^-32: turns a uint32 into [0, 1). */
const UINT32_SCALE = 1 / 4294967296;
/** Uint32 words fetched per `crypto.getRandomValues` call (its limit is 65,536 bytes). */
const CRYPTO_BUFFER_WORDS = 1024;

/**
 * Uniform numbers from `crypto.getRandomValues`, buffered (one call per 1,024 numbers).
 * @example
 * const rng = cryptoRng();
 * const u = rng(); // 0 <= u < 1
 */
export function cryptoRng(): Rng {
  const buffer = new Uint32Array(CRYPTO_BUFFER_WORDS);
  let next = CRYPTO_BUFFER_WORDS;
  return function cryptoUniform() {
    if (next === CRYPTO_BUFFER_WORDS) {
      crypto.getRandomValues(buffer);
      next = 0;
    }
    return buffer[next++]! * UINT32_SCALE;
  };
}

/**
 * A deterministic generator for tests, backtests and simulations (sfc32 seeded by splitmix32).
 * Never for production decisions: its output is predictable from the seed.
 * @example
 * const a = seededRng(7), b = seededRng(7);
 * a() === b(); // true
 */
export function seededRng(seed: number): Rng {
  let s = seed >>> 0;
  const splitmix = () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = splitmix(), b = splitmix(), c = splitmix(), d = splitmix();
  return function sfc32() {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t * UINT32_SCALE;
  };
}
