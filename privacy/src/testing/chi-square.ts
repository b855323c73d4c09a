/**
 * Pearson's chi-square statistic of observed integer samples against an exact pmf, with
 * adjacent values pooled until every bin expects at least `minExpected` draws (the tails beyond
 * the pooled range form one bin each side). Returns the statistic and its degrees of freedom.
 * @example
 * const { statistic, dof } = chiSquare(samples, (z) => pmf(z), 10_000);
 */
export function chiSquare(samples: ReadonlyMap<bigint, number>, pmf: (z: number) => number, draws: number, minExpected = 5): { statistic: number; dof: number } {
  // Find the central range [lo, hi] whose values each expect >= minExpected (pmfs here are unimodal at 0).
  let lo = 0;
  let hi = 0;
  while (pmf(lo - 1) * draws >= minExpected) lo--;
  while (pmf(hi + 1) * draws >= minExpected) hi++;
  let statistic = 0;
  let central = 0;
  let observedCentral = 0;
  for (let z = lo; z <= hi; z++) {
    const expected = pmf(z) * draws;
    const observed = samples.get(BigInt(z)) ?? 0;
    central += expected;
    observedCentral += observed;
    statistic += (observed - expected) ** 2 / expected;
  }
  let observedLeft = 0;
  for (const [z, n] of samples) if (z < BigInt(lo)) observedLeft += n;
  const observedRight = draws - observedCentral - observedLeft;
  // Split the remaining mass between the tails by the pmf (both tails are symmetric here).
  let leftMass = 0;
  for (let z = lo - 1; pmf(z) > 1e-300 && z > lo - 100_000; z--) leftMass += pmf(z);
  const rightMass = Math.max(0, 1 - central / draws - leftMass);
  let bins = hi - lo + 1;
  for (const [observed, mass] of [[observedLeft, leftMass], [observedRight, rightMass]] as const) {
    const expected = mass * draws;
    if (expected >= 1) {
      statistic += (observed - expected) ** 2 / expected;
      bins++;
    } else if (observed > minExpected) {
      statistic += Infinity; // many draws where almost none are expected: the tail is wrong
    }
  }
  return { statistic, dof: bins - 1 };
}

/**
 * Upper quantile of the chi-square distribution by the Wilson–Hilferty approximation
 * (accurate to about 1 % for dof ≥ 3). `z` is the standard normal quantile (3.09 ⇒ p = 0.001).
 */
export function chiSquareCritical(dof: number, z = 3.09): number {
  const k = dof;
  return k * (1 - 2 / (9 * k) + z * Math.sqrt(2 / (9 * k))) ** 3;
}

/** Counts draws per value. */
export function histogram(draws: number, sample: () => bigint): Map<bigint, number> {
  const counts = new Map<bigint, number>();
  for (let i = 0; i < draws; i++) {
    const z = sample();
    counts.set(z, (counts.get(z) ?? 0) + 1);
  }
  return counts;
}
