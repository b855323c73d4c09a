/**
 * The one source of randomness of every sampler: uniform integers drawn by rejection, so there is
 * no modulo bias. Production uses {@link cryptoSource} (`crypto.getRandomValues`); tests inject a
 * seeded source from `@sluice/privacy/testing`. Samplers never see bytes, floats or clocks.
 * @example
 * const rng = cryptoSource();
 * rng.below(6n); // 0n..5n, each with probability exactly 1/6
 */
export interface RandomSource {
  /** A uniform integer in `[0, n)`; `n` must be ≥ 1. */
  below(n: bigint): bigint;
}

/** Refill size: well under Web Crypto's 65 536-byte limit per `getRandomValues` call (MDN). */
export const RANDOM_BUFFER_BYTES = 4096;

/**
 * Turns a byte filler into a {@link RandomSource}: buffered bytes, exact rejection sampling on
 * the smallest number of bits that covers `n - 1`.
 */
export function byteSource(fill: (bytes: Uint8Array<ArrayBuffer>) => void): RandomSource {
  const buffer = new Uint8Array(new ArrayBuffer(RANDOM_BUFFER_BYTES));
  let position = buffer.length;
  const nextByte = (): number => {
    if (position === buffer.length) {
      fill(buffer);
      position = 0;
    }
    return buffer[position++]!;
  };
  return {
    below(n: bigint): bigint {
      if (n < 1n) throw new RangeError('below: n must be at least 1');
      if (n === 1n) return 0n;
      const bits = (n - 1n).toString(2).length;
      const bytes = Math.ceil(bits / 8);
      const topMask = (1 << (bits - (bytes - 1) * 8)) - 1;
      if (bits <= 31) {
        const limit = Number(n);
        for (;;) {
          let r = nextByte() & topMask;
          for (let i = 1; i < bytes; i++) r = r * 256 + nextByte();
          if (r < limit) return BigInt(r);
        }
      }
      for (;;) {
        let r = BigInt(nextByte() & topMask);
        for (let i = 1; i < bytes; i++) r = (r << 8n) | BigInt(nextByte());
        if (r < n) return r;
      }
    },
  };
}
