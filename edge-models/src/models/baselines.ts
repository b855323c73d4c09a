import type { ObdRow } from './obd-loader.ts';
import { seededRandom } from './seeded-random.ts';

/** Pseudo-impressions at the base rate added to each item's counts (shrinks items seen a few times). */
export const POPULARITY_PRIOR_IMPRESSIONS = 50;

const baseRate = (train: readonly ObdRow[]) => train.reduce((s, r) => s + r.click, 0) / train.length;

/**
 * Random scores around the training base rate (mean = base rate): the no-skill reference.
 *
 * @example
 * randomBaseline(train, evaluation, 3);
 */
export function randomBaseline(train: readonly ObdRow[], evaluation: readonly ObdRow[], seed = 3): Float64Array {
  const rate = baseRate(train);
  const next = seededRandom(seed);
  return Float64Array.from(evaluation, () => rate * (0.5 + next()));
}

/**
 * Smoothed training CTR of the shown item (per campaign): what "show the best sellers" predicts.
 *
 * @example
 * popularityBaseline(train, evaluation);
 */
export function popularityBaseline(train: readonly ObdRow[], evaluation: readonly ObdRow[]): Float64Array {
  const rate = baseRate(train);
  const counts = new Map<string, { shown: number; clicks: number }>();
  for (const r of train) {
    const c = counts.get(`${r.campaign}:${r.itemId}`) ?? { shown: 0, clicks: 0 };
    c.shown++;
    c.clicks += r.click;
    counts.set(`${r.campaign}:${r.itemId}`, c);
  }
  return Float64Array.from(evaluation, (r) => {
    const c = counts.get(`${r.campaign}:${r.itemId}`) ?? { shown: 0, clicks: 0 };
    return (c.clicks + POPULARITY_PRIOR_IMPRESSIONS * rate) / (c.shown + POPULARITY_PRIOR_IMPRESSIONS);
  });
}

/**
 * Training CTR of the slot: the position bias alone.
 *
 * @example
 * positionBaseline(train, evaluation);
 */
export function positionBaseline(train: readonly ObdRow[], evaluation: readonly ObdRow[]): Float64Array {
  const shown = [0, 0, 0, 0];
  const clicks = [0, 0, 0, 0];
  for (const r of train) { shown[r.position]!++; clicks[r.position]! += r.click; }
  return Float64Array.from(evaluation, (r) => clicks[r.position]! / Math.max(1, shown[r.position]!));
}
