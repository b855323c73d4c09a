import { describe, expect, it } from 'vitest';
import { applyChange, EMPTY_ROLLOUT, type RolloutState } from './rollout-state.ts';
import { chooseVersion, BUCKETS } from './choose-version.ts';

const ok = (s: ReturnType<typeof applyChange>): RolloutState => {
  if ('error' in s) throw new Error(s.error);
  return s;
};
const published = ok(applyChange(ok(applyChange(EMPTY_ROLLOUT, { action: 'publish', version: '1' })), { action: 'publish', version: '2' }));

describe('rollout state', () => {
  it('rollback returns to the previous live version and rolling back again undoes it', () => {
    const v1 = ok(applyChange(published, { action: 'set-live', version: '1' }));
    const v2 = ok(applyChange(v1, { action: 'set-live', version: '2' }));
    const back = ok(applyChange(v2, { action: 'rollback' }));
    expect([back.live, back.previousLive, back.revision]).toEqual(['1', '2', 5]);
    expect(ok(applyChange(back, { action: 'rollback' })).live).toBe('2');
  });
  it('promoting the canary ends it; rollback ends any canary; a live version cannot be its own canary', () => {
    const v1 = ok(applyChange(published, { action: 'set-live', version: '1' }));
    const canary = ok(applyChange(v1, { action: 'canary', version: '2', percent: 10 }));
    expect(ok(applyChange(canary, { action: 'set-live', version: '2' })).canary).toBeNull();
    expect(applyChange(v1, { action: 'canary', version: '1', percent: 10 })).toEqual({ error: 'version 1 is already live' });
    expect(applyChange(v1, { action: 'set-live', version: '3' })).toEqual({ error: 'version 3 is not published' });
    const v2 = ok(applyChange(canary, { action: 'set-live', version: '2' }));
    const c3 = ok(applyChange(v2, { action: 'canary', version: '1', percent: 50 }));
    expect(ok(applyChange(c3, { action: 'rollback' })).canary).toBeNull();
  });
  it('chooses by bucket: below the canary share → canary; killed → nothing; no visitor id → live', () => {
    const state = ok(applyChange(ok(applyChange(published, { action: 'set-live', version: '1' })), { action: 'canary', version: '2', percent: 12.5 }));
    expect(chooseVersion(state, 1249)).toEqual({ version: '2', cohort: 'canary' });
    expect(chooseVersion(state, 1250)).toEqual({ version: '1', cohort: 'live' });
    expect(chooseVersion(state, undefined)).toEqual({ version: '1', cohort: 'live' });
    expect(chooseVersion({ ...state, killed: true }, 0)).toEqual({ version: null, cohort: 'killed' });
    expect(chooseVersion(published, BUCKETS - 1)).toEqual({ version: null, cohort: 'none' });
  });
});
