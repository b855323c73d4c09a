import { describe, expect, it } from 'vitest';
import { BACKOFF_BASE_SECONDS, BACKOFF_MAX_SECONDS, QUEUE_MAX_DELAY_SECONDS, backoffSeconds } from './backoff.ts';

describe('backoffSeconds', () => {
  it('grows exponentially with full jitter, capped', () => {
    expect(backoffSeconds(1, 0, () => 0.999)).toBe(BACKOFF_BASE_SECONDS);
    expect(backoffSeconds(4, 0, () => 0.999)).toBe(BACKOFF_BASE_SECONDS * 8);
    expect(backoffSeconds(30, 0, () => 0.999)).toBe(BACKOFF_MAX_SECONDS);
    expect(backoffSeconds(4, 0, () => 0.1)).toBe(Math.ceil(0.1 * BACKOFF_BASE_SECONDS * 8));
  });

  it('never retries sooner than Retry-After, and never later than a queue can delay', () => {
    expect(backoffSeconds(1, 120, () => 0.5)).toBe(120);
    expect(backoffSeconds(1, 10 * 86_400, () => 0.5)).toBe(QUEUE_MAX_DELAY_SECONDS);
  });

  it('spreads retries (jitter from the crypto RNG by default)', () => {
    const draws = new Set(Array.from({ length: 50 }, () => backoffSeconds(8)));
    expect(draws.size).toBeGreaterThan(5);
  });
});
