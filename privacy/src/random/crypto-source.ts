import { byteSource, type RandomSource } from './random-source.ts';

/**
 * The production randomness: Web Crypto's CSPRNG (`crypto.getRandomValues`, available in
 * workerd, Node ≥ 19 and browsers). Never `Math.random` (V8's xorshift128+ state is recoverable
 * from its outputs, privacy.md §1.3) and never a seeded generator. This file is the only one in
 * `privacy/src` allowed to touch `crypto` (enforced by `lint/randomness-rule.test.ts`).
 * @example
 * const rng = cryptoSource();
 * discreteLaplace(rational(2n), rng);
 */
export function cryptoSource(): RandomSource {
  return byteSource((bytes) => crypto.getRandomValues(bytes));
}
