/**
 * Wilson score interval for a binomial proportion (z = 4: conservative, since many events are tried).
 */
export function wilson(hits: number, n: number, z = 4): { low: number; high: number } {
  const p = hits / n;
  const denom = 1 + (z * z) / n;
  const centre = (p + (z * z) / (2 * n)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / denom;
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/**
 * An empirical lower bound on ε from two samples of an attacker's statistic on neighbouring
 * datasets (StatDP / DP-Sniper style): for every threshold event {S ≥ τ} and {S ≤ τ}, in both
 * directions, ln(lower bound of P_a(event) / upper bound of P_b(event)). A mechanism that is
 * ε-DP gives a bound ≤ ε with high probability; one that leaks gives a large (or infinite) one.
 * @example
 * empiricalEpsilon(noisyOnD, noisyOnDPrime); // e.g. 0.31
 */
export function empiricalEpsilon(a: readonly number[], b: readonly number[]): number {
  const thresholds = [...new Set([...a, ...b])].sort((x, y) => x - y);
  let best = 0;
  const sa = [...a].sort((x, y) => x - y);
  const sb = [...b].sort((x, y) => x - y);
  const atLeast = (sorted: number[], t: number) => sorted.length - lowerBound(sorted, t);
  for (const t of thresholds) {
    const events: Array<[number, number]> = [
      [atLeast(sa, t), atLeast(sb, t)],
      [a.length - atLeast(sa, t), b.length - atLeast(sb, t)],
    ];
    for (const [ha, hb] of events) {
      for (const [h1, n1, h2, n2] of [[ha, a.length, hb, b.length], [hb, b.length, ha, a.length]] as const) {
        const low = wilson(h1, n1).low;
        const high = wilson(h2, n2).high;
        if (low > 0) best = Math.max(best, high === 0 ? Infinity : Math.log(low / high));
      }
    }
  }
  return best;
}

function lowerBound(sorted: number[], t: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
