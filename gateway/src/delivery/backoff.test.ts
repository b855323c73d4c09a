import { describe, expect, it } from 'vitest';
import { BACKOFF_BASE_SECONDS, BACKOFF_MAX_SECONDS, backoffSeconds } from './backoff.ts';

describe('backoffSeconds', () => {
  it('grows exponentially with full jitter and stays under the cap', () => {
    expect(backoffSeconds(1, 0, () => 0.999)).toBe(BACKOFF_BASE_SECONDS);
    expect(backoffSeconds(4, 0, () => 0.999)).toBe(BACKOFF_BASE_SECONDS * 8);
    expect(backoffSeconds(50, 0, () => 0.999)).toBe(BACKOFF_MAX_SECONDS);
    expect(backoffSeconds(4, 0, () => 0.1)).toBeLessThan(BACKOFF_BASE_SECONDS * 8);
  });

  it('never retries sooner than the server asked', () => {
    expect(backoffSeconds(1, 120, () => 0)).toBe(120);
  });

  it('draws its jitter from the crypto RNG by default', () => {
    const draws = new Set(Array.from({ length: 50 }, () => backoffSeconds(8)));
    expect(draws.size).toBeGreaterThan(1);
  });
});
