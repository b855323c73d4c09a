/** One bin of a reliability table. */
export interface CalibrationBin {
  readonly rows: number;
  readonly meanPredicted: number;
  readonly observedRate: number;
  readonly clicks: number;
}

/**
 * Reliability table with equal-count bins by predicted probability (equal-width bins would put
 * nearly every row of a 0.5 % CTR log in the first bin).
 *
 * @example
 * calibrationTable([0.1, 0.2, 0.9], [0, 0, 1], 3);
 */
export function calibrationTable(probabilities: ArrayLike<number>, labels: ArrayLike<number>, bins = 5): CalibrationBin[] {
  const order = Array.from({ length: probabilities.length }, (_, i) => i).sort((a, b) => probabilities[a]! - probabilities[b]!);
  const out: CalibrationBin[] = [];
  for (let b = 0; b < bins; b++) {
    const slice = order.slice(Math.floor((b * order.length) / bins), Math.floor(((b + 1) * order.length) / bins));
    if (slice.length === 0) continue;
    let p = 0;
    let clicks = 0;
    for (const i of slice) { p += probabilities[i]!; clicks += labels[i]!; }
    out.push({ rows: slice.length, meanPredicted: p / slice.length, observedRate: clicks / slice.length, clicks });
  }
  return out;
}
