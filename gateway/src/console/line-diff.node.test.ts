import { describe, expect, it } from 'vitest';
import { lineDiff } from './line-diff.ts';

describe('lineDiff', () => {
  it('keeps common lines and marks removed and added ones in order', () => {
    expect(lineDiff('a\nb\nc', 'a\nx\nc\nd')).toEqual([
      { op: ' ', text: 'a' },
      { op: '-', text: 'b' },
      { op: '+', text: 'x' },
      { op: ' ', text: 'c' },
      { op: '+', text: 'd' },
    ]);
  });

  it('rebuilds both sides exactly', () => {
    const before = JSON.stringify({ a: 1, b: [1, 2, 3], c: { d: 'e' } }, null, 2);
    const after = JSON.stringify({ a: 2, b: [1, 3], c: { d: 'e', f: true } }, null, 2);
    const diff = lineDiff(before, after);
    expect(diff.filter((l) => l.op !== '+').map((l) => l.text).join('\n')).toBe(before);
    expect(diff.filter((l) => l.op !== '-').map((l) => l.text).join('\n')).toBe(after);
    expect(diff.filter((l) => l.op === ' ').length).toBeGreaterThan(5);
  });

  it('an identical document has no changes', () => {
    expect(lineDiff('x\ny', 'x\ny').every((l) => l.op === ' ')).toBe(true);
  });
});
