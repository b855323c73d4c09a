import { describe, expect, it } from 'vitest';
import { RETRY_BASE_MS, RETRY_MAX_MS, parseRetryAfterMs, retryDelayMs } from './backoff.ts';

describe('retryDelayMs', () => {
  it('doubles the ceiling per attempt, jitters below it, and caps at 5 minutes', () => {
    expect(retryDelayMs(1, 0, () => 0.9999)).toBe(RETRY_BASE_MS);
    expect(retryDelayMs(3, 0, () => 0.9999)).toBe(RETRY_BASE_MS * 4);
    expect(retryDelayMs(30, 0, () => 1)).toBe(RETRY_MAX_MS);
    expect(retryDelayMs(30, 0, () => 0.9999)).toBeLessThanOrEqual(RETRY_MAX_MS);
    expect(retryDelayMs(3, 0, () => 0.25)).toBe(RETRY_BASE_MS);
  });

  it('never retries before Retry-After', () => {
    expect(retryDelayMs(1, 30_000, () => 0.5)).toBe(30_000);
  });
});

describe('parseRetryAfterMs', () => {
  it('reads delta-seconds and HTTP dates', () => {
    expect(parseRetryAfterMs('7')).toBe(7000);
    const now = Date.parse('2026-11-28T12:00:00Z');
    expect(parseRetryAfterMs('Sat, 28 Nov 2026 12:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfterMs(null)).toBe(0);
    expect(parseRetryAfterMs('soon')).toBe(0);
  });
});
