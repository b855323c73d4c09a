import { describe, expect, it } from 'vitest';
import { formatRational, rational } from '../rational/rational.ts';
import { chargeDays } from './charge-days.ts';

describe('chargeDays', () => {
  const cap = rational(1n);

  it('charges ε on every day of the range', () => {
    const r = chargeDays(new Map(), ['2026-11-01', '2026-11-02'], rational(1n, 4n), cap);
    expect(r.ok).toBe(true);
    if (r.ok) expect([...r.spent].map(([d, e]) => [d, formatRational(e)])).toEqual([['2026-11-01', '1/4'], ['2026-11-02', '1/4']]);
  });

  it('reaches the cap exactly (rationals do not drift) and refuses past it, charging nothing', () => {
    let spent = new Map();
    for (let i = 0; i < 10; i++) {
      const r = chargeDays(spent, ['d'], rational(1n, 10n), cap);
      expect(r.ok).toBe(true);
      if (r.ok) spent = r.spent;
    }
    expect(formatRational(spent.get('d'))).toBe('1');
    const refused = chargeDays(spent, ['e', 'd'], rational(1n, 10n), cap);
    expect(refused).toEqual({ ok: false, exhausted: ['d'] });
  });
});
