import { byteSource, type RandomSource } from '../random/random-source.ts';

/**
 * A deterministic source for tests only (fixed seeds make statistical tests reproducible):
 * sfc32, a small fast counter-based generator. Not cryptographic; never used by the gateway
 * (it is exported only from `@sluice/privacy/testing`).
 * @example
 * const rng = seededSource(42);
 */
export function seededSource(seed: number): RandomSource {
  let a = 0x9e3779b9;
  let b = 0x243f6a88;
  let c = 0xb7e15162;
  let d = seed >>> 0;
  const next = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  for (let i = 0; i < 16; i++) next();
  return byteSource((bytes) => {
    for (let i = 0; i < bytes.length; i += 4) {
      const word = next();
      bytes[i] = word & 0xff;
      bytes[i + 1] = (word >>> 8) & 0xff;
      bytes[i + 2] = (word >>> 16) & 0xff;
      bytes[i + 3] = word >>> 24;
    }
  });
}
