import { add, compare, type Rational } from '../rational/rational.ts';

export type ChargeResult = { ok: true; spent: Map<string, Rational> } | { ok: false; exhausted: string[] };

/**
 * Sequential composition per privacy unit: the unit is (site, visitor, day), so a query over a
 * date range costs its ε on every day in the range (days are disjoint units: parallel
 * composition across days). Refuses the whole charge when any day would pass the cap; nothing
 * is charged then. Pure: the ledger Durable Object applies the result atomically.
 * @example
 * chargeDays(new Map(), ['2026-12-01'], rational(1n), rational(4n)); // { ok: true, spent: Map { '2026-12-01' => 1 } }
 */
export function chargeDays(spent: ReadonlyMap<string, Rational>, days: readonly string[], epsilon: Rational, cap: Rational): ChargeResult {
  const next = new Map(spent);
  const exhausted: string[] = [];
  for (const day of days) {
    const total = add(spent.get(day) ?? { num: 0n, den: 1n }, epsilon);
    if (compare(total, cap) > 0n) exhausted.push(day);
    next.set(day, total);
  }
  return exhausted.length > 0 ? { ok: false, exhausted } : { ok: true, spent: next };
}
