/**
 * Plan patterns are user regular expressions run on every event at ingest, so they are held to a
 * subset without catastrophic backtracking: no backreferences, no lookaround, star height at most 1
 * (no quantified group that contains a quantifier: `(a+)+`), no repeated group with alternatives
 * (`(a|aa)*`), bounded counts at most 1000, and at most 3 unbounded quantifiers (`* + {n,}`).
 * Together with `PATTERN_INPUT_MAX` (the longest string a pattern is tested on) this bounds the
 * work of a match to a small polynomial of a short input.
 */

/** The longest string a plan pattern is tested on; a longer one breaks the `pattern` rule. */
export const PATTERN_INPUT_MAX = 256;
const MAX_UNBOUNDED = 3;
const MAX_COUNT = 1000;

interface Frame {
  /** The highest quantifier nesting inside (0: no quantifier). */
  height: number;
  alternation: boolean;
}

/**
 * Why a pattern is not in the safe subset, or null when it is (it must also compile: check that separately).
 * @example unsafePattern('^(a+)+$') // 'nested quantifier: a quantified group contains a quantifier (star height > 1)'
 * @example unsafePattern('^ord-[0-9]+$') // null
 */
export function unsafePattern(pattern: string): string | null {
  const stack: Frame[] = [{ height: 0, alternation: false }];
  /** The atom a quantifier would apply to: its own height and whether it is a group with alternatives. */
  let last: { height: number; alternation: boolean } | null = null;
  let unbounded = 0;
  let i = 0;
  const top = () => stack[stack.length - 1]!;
  while (i < pattern.length) {
    const c = pattern[i]!;
    if (c === '\\') {
      const next = pattern[i + 1] ?? '';
      if (/[1-9]/.test(next)) return 'backreferences are not allowed';
      if (next === 'k' && pattern[i + 2] === '<') return 'backreferences are not allowed';
      i += 2;
      // \p{…}, \P{…}, \u{…}: skip the braces.
      if ((next === 'p' || next === 'P' || next === 'u') && pattern[i] === '{') {
        const end = pattern.indexOf('}', i);
        i = end < 0 ? pattern.length : end + 1;
      }
      last = { height: 0, alternation: false };
      continue;
    }
    if (c === '[') {
      i += 1;
      if (pattern[i] === '^') i += 1;
      if (pattern[i] === ']') i += 1;
      while (i < pattern.length && pattern[i] !== ']') i += pattern[i] === '\\' ? 2 : 1;
      i += 1;
      last = { height: 0, alternation: false };
      continue;
    }
    if (c === '(') {
      if (pattern.startsWith('(?=', i) || pattern.startsWith('(?!', i) || pattern.startsWith('(?<=', i) || pattern.startsWith('(?<!', i)) return 'lookahead and lookbehind are not allowed';
      if (pattern.startsWith('(?:', i)) i += 3;
      else if (pattern.startsWith('(?<', i)) {
        const end = pattern.indexOf('>', i);
        i = end < 0 ? pattern.length : end + 1;
      } else if (pattern.startsWith('(?', i)) return 'inline modifiers are not allowed';
      else i += 1;
      stack.push({ height: 0, alternation: false });
      last = null;
      continue;
    }
    if (c === ')') {
      const frame = stack.length > 1 ? stack.pop()! : { height: 0, alternation: false };
      top().height = Math.max(top().height, frame.height);
      last = frame;
      i += 1;
      continue;
    }
    if (c === '|') {
      top().alternation = true;
      last = null;
      i += 1;
      continue;
    }
    const quantifier = readQuantifier(pattern, i);
    if (quantifier) {
      if (quantifier.max !== Infinity && quantifier.max > MAX_COUNT) return `counts above ${MAX_COUNT} are not allowed`;
      if (quantifier.max === Infinity && ++unbounded > MAX_UNBOUNDED) return `at most ${MAX_UNBOUNDED} unbounded quantifiers (*, +, {n,})`;
      i = quantifier.end;
      if (pattern[i] === '?') i += 1; // lazy
      if (last && quantifier.max > 1) {
        if (last.height >= 1) return 'nested quantifier: a quantified group contains a quantifier (star height > 1)';
        if (last.alternation) return 'a repeated group may not contain alternatives (a|b)';
        top().height = Math.max(top().height, last.height + 1);
      }
      last = null;
      continue;
    }
    last = { height: 0, alternation: false };
    i += 1;
  }
  return null;
}

function readQuantifier(pattern: string, i: number): { max: number; end: number } | null {
  const c = pattern[i];
  if (c === '*' || c === '+') return { max: Infinity, end: i + 1 };
  if (c === '?') return { max: 1, end: i + 1 };
  if (c !== '{') return null;
  const m = /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(i));
  if (!m) return null;
  const max = m[2] === undefined ? Number(m[1]) : m[3] === '' ? Infinity : Number(m[3]);
  return { max, end: i + m[0].length };
}
