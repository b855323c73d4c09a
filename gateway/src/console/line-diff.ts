/** One line of a diff: kept, removed (only in `before`) or added (only in `after`). */
export interface DiffLine {
  op: ' ' | '-' | '+';
  text: string;
}

/** Lines compared at most; policies are a few hundred lines, this bounds the O(n·m) table. */
export const MAX_DIFF_LINES = 4_000;

/**
 * A line diff by longest common subsequence (what `diff` shows, without hunks).
 *
 * @example lineDiff('a\nb', 'a\nc') // [{op:' ',text:'a'},{op:'-',text:'b'},{op:'+',text:'c'}]
 */
export function lineDiff(before: string, after: string): DiffLine[] {
  const a = before.split('\n').slice(0, MAX_DIFF_LINES);
  const b = after.split('\n').slice(0, MAX_DIFF_LINES);
  const width = b.length + 1;
  const lcs = new Uint32Array((a.length + 1) * width);
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lcs[i * width + j] = a[i] === b[j] ? lcs[(i + 1) * width + j + 1]! + 1 : Math.max(lcs[(i + 1) * width + j]!, lcs[i * width + j + 1]!);
    }
  }
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) (out.push({ op: ' ', text: a[i]! }), i++, j++);
    else if (lcs[(i + 1) * width + j]! >= lcs[i * width + j + 1]!) out.push({ op: '-', text: a[i++]! });
    else out.push({ op: '+', text: b[j++]! });
  }
  while (i < a.length) out.push({ op: '-', text: a[i++]! });
  while (j < b.length) out.push({ op: '+', text: b[j++]! });
  return out;
}
