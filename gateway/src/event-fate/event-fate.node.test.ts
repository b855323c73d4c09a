import { describe, expect, it } from 'vitest';
import { fateOf } from './event-fate.ts';

describe('fateOf', () => {
  it('a consent denial is final whatever the log says', () => {
    expect(fateOf({ decision: 'deny' }, [])).toBe('dropped_by_consent');
    expect(fateOf(null, [{ outcome: 'dropped_consent' }])).toBe('dropped_by_consent');
  });

  it('otherwise the latest delivery outcome decides; limited deliveries say so', () => {
    expect(fateOf({ decision: 'allow' }, [])).toBe('queued');
    expect(fateOf({ decision: 'allow' }, [{ outcome: 'retried' }])).toBe('retrying');
    expect(fateOf({ decision: 'allow' }, [{ outcome: 'retried' }, { outcome: 'delivered' }])).toBe('delivered');
    expect(fateOf({ decision: 'limited' }, [{ outcome: 'delivered' }])).toBe('delivered_limited');
    expect(fateOf({ decision: 'allow' }, [{ outcome: 'dead_lettered' }])).toBe('dead_lettered');
    // A replay puts it back on the queue: the outcome after the replay counts.
    expect(fateOf({ decision: 'allow' }, [{ outcome: 'dead_lettered' }, { outcome: 'replayed' }])).toBe('queued');
    expect(fateOf({ decision: 'allow' }, [{ outcome: 'dead_lettered' }, { outcome: 'replayed' }, { outcome: 'delivered' }])).toBe('delivered');
    expect(fateOf({ decision: 'allow' }, [{ outcome: 'expired' }])).toBe('expired');
    expect(fateOf({ decision: 'allow' }, [{ outcome: 'duplicate' }])).toBe('duplicate');
  });
});
