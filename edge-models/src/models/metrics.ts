/** Probabilities are clipped here before the log so that a confident miss costs a finite amount. */
export const LOG_LOSS_EPSILON = 1e-7;

/**
 * Rows in ascending score order, computed once so that every bootstrap resample's AUC is O(n).
 *
 * @example
 * auc(scores, labels, undefined, scoreOrder(scores));
 */
export function scoreOrder(scores: ArrayLike<number>): Uint32Array {
  return Uint32Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
}

/**
 * Area under the ROC curve (ties count one half), optionally with per-row multiplicities
 * (`weights`, as a bootstrap resample gives them). `NaN` when one class is absent.
 *
 * @example
 * auc([0.1, 0.9], [0, 1]); // 1
 */
export function auc(scores: ArrayLike<number>, labels: ArrayLike<number>, weights?: ArrayLike<number>, order = scoreOrder(scores)): number {
  let negativesBelow = 0;
  let pairs = 0;
  let positives = 0;
  const n = order.length;
  for (let i = 0; i < n; ) {
    let j = i;
    let pos = 0;
    let neg = 0;
    while (j < n && scores[order[j]!] === scores[order[i]!]) {
      const row = order[j]!;
      const w = weights ? weights[row]! : 1;
      if (labels[row] === 1) pos += w; else neg += w;
      j++;
    }
    pairs += pos * (negativesBelow + neg / 2);
    positives += pos;
    negativesBelow += neg;
    i = j;
  }
  if (positives === 0 || negativesBelow === 0) return Number.NaN;
  return pairs / (positives * negativesBelow);
}

/**
 * Mean binary cross-entropy (natural log), optionally weighted by per-row multiplicities.
 *
 * @example
 * logLoss([0.5], [1]); // 0.693…
 */
export function logLoss(probabilities: ArrayLike<number>, labels: ArrayLike<number>, weights?: ArrayLike<number>): number {
  let sum = 0;
  let total = 0;
  for (let i = 0; i < probabilities.length; i++) {
    const w = weights ? weights[i]! : 1;
    if (w === 0) continue;
    const p = Math.min(1 - LOG_LOSS_EPSILON, Math.max(LOG_LOSS_EPSILON, probabilities[i]!));
    sum -= w * (labels[i] === 1 ? Math.log(p) : Math.log(1 - p));
    total += w;
  }
  return sum / total;
}
