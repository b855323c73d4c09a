import type { RolloutState } from './rollout-state.ts';

/** Buckets a visitor can fall in; a canary percentage has 0.01 % resolution. */
export const BUCKETS = 10_000;

/** Which version a visitor gets, and why. */
export interface Assignment {
  readonly version: string | null;
  readonly cohort: 'live' | 'canary' | 'killed' | 'none';
}

/**
 * The version for a visitor in `bucket` (0 ≤ bucket < BUCKETS), or none when killed / nothing live.
 * Visitors with no id (bucket `undefined`) always get the live version.
 *
 * @example
 * chooseVersion(state, 42); // { version: '1.1.0', cohort: 'canary' } when the canary is ≥ 0.43 %
 */
export function chooseVersion(state: RolloutState, bucket: number | undefined): Assignment {
  if (state.killed) return { version: null, cohort: 'killed' };
  if (state.canary && bucket !== undefined && bucket < state.canary.percent * (BUCKETS / 100)) return { version: state.canary.version, cohort: 'canary' };
  return state.live ? { version: state.live, cohort: 'live' } : { version: null, cohort: 'none' };
}

/**
 * A visitor's stable bucket for one model: the first 32 bits of SHA-256(`model:visitorId`) mod BUCKETS.
 * Per model, so being in one model's canary says nothing about another's.
 *
 * @example
 * await visitorBucket('obd-click-lr', 'a1b2c3d4-…'); // 0..9999, the same on every call
 */
export async function visitorBucket(model: string, visitorId: string): Promise<number> {
  const digest = new DataView(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(`${model}:${visitorId}`)));
  return digest.getUint32(0) % BUCKETS;
}
