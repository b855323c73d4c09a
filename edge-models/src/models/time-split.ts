/**
 * Split rows by day: everything before `firstEvalDay` trains, that day and later evaluates.
 * A time split, not a random one, so evaluation sees days the model never saw (as in production).
 *
 * @example
 * const { train, evaluation } = timeSplit(rows, '2019-11-29');
 */
export function timeSplit<T extends { readonly day: string }>(rows: readonly T[], firstEvalDay: string): { train: T[]; evaluation: T[] } {
  const train: T[] = [];
  const evaluation: T[] = [];
  for (const row of rows) (row.day < firstEvalDay ? train : evaluation).push(row);
  return { train, evaluation };
}

/** Held-out days of the OBD sample (2019-11-24 .. 30): the last two of seven. */
export const OBD_FIRST_EVAL_DAY = '2019-11-29';
