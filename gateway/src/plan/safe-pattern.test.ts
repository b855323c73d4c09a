import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { PATTERN_INPUT_MAX, unsafePattern } from './safe-pattern.ts';
import { parsePlan } from './parse-plan.ts';
import { checkEvent } from './check-event.ts';

const planWith = (pattern: string) => ({ version: 1, events: { Purchase: { properties: { sku: { type: 'string', pattern } } } } });

describe('unsafePattern: the ReDoS guard of plan patterns', () => {
  it('refuses the classic catastrophic patterns, backreferences and lookaround', () => {
    for (const evil of ['^(a+)+$', '(a*)*', '(\\d+)*x', '^(\\w+\\s?)*$', '(a|aa)+', '(a|a)*b', '(.*a){20}', '((ab)*c)+', '(?:x+y?)+', '(a)\\1', '(?<n>a)\\k<n>', '(?=a)a', '(?<!a)b', 'a{1,100000}', 'a*b*c*d*', '(?i)a']) {
      expect(unsafePattern(evil), evil).not.toBeNull();
    }
  });

  it('accepts the patterns plans are written with', () => {
    for (const ok of ['^ord-[0-9]+$', '^[A-Z]{2}$', '^sku-\\d{1,8}$', '^(eur|usd)$', '^(?:ab)+$', '[(+*]+', '^\\p{L}+$', '^[a-z0-9._%+-]+@[a-z0-9.-]+\\.[a-z]{2,}$', '^(?<year>\\d{4})-\\d{2}$', 'a?b?c?']) {
      expect(unsafePattern(ok), ok).toBeNull();
    }
  });

  it('a plan with an unsafe pattern is refused at parse with the path named', () => {
    const result = parsePlan(planWith('^(a+)+$'));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues).toEqual([{ path: 'events.Purchase.properties.sku.pattern', message: 'unsafe pattern: nested quantifier: a quantified group contains a quantifier (star height > 1)' }]);
  });

  it('a string longer than the pattern input bound breaks the pattern rule without being matched', () => {
    const parsed = parsePlan(planWith('^a+$'));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const event = (sku: string) => ({ type: 'track', event: 'Purchase', eventId: crypto.randomUUID(), timestamp: new Date().toISOString(), anonymousId: 'a', properties: { sku } }) as never;
    expect(checkEvent(parsed.plan, event('a'.repeat(PATTERN_INPUT_MAX))).violations).toEqual([]);
    expect(checkEvent(parsed.plan, event('a'.repeat(PATTERN_INPUT_MAX + 1))).violations[0]).toMatchObject({ rule: 'pattern', message: `longer than the ${PATTERN_INPUT_MAX} characters a pattern is tested on` });
  });

  // Fuzz: patterns generated from a syntax tree whose star height, repeated alternation and count
  // of unbounded quantifiers are known; the guard, reading only the string, must agree.
  type Node = { kind: 'atom'; text: string } | { kind: 'group'; alternatives: Node[][]; capture: boolean } | { kind: 'quant'; node: Node; q: string };
  const atom = fc.constantFrom('a', 'b', '.', '[ab]', '\\d', '\\w', '-', '[)|*]', '\\(', '\\p{L}').map((text): Node => ({ kind: 'atom', text }));
  const { node } = fc.letrec<{ node: Node; group: Node; seq: Node[] }>((tie) => ({
    node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, atom, tie('group'), fc.record({ kind: fc.constant('quant' as const), node: fc.oneof(atom, tie('group')), q: fc.constantFrom('*', '+', '?', '{2}', '{1,5}', '{3,}', '*?', '{0,1}') })),
    group: fc.record({ kind: fc.constant('group' as const), alternatives: fc.array(tie('seq'), { minLength: 1, maxLength: 3 }), capture: fc.boolean() }),
    seq: fc.array(tie('node'), { minLength: 1, maxLength: 3 }),
  }));
  const render = (n: Node): string =>
    n.kind === 'atom' ? n.text : n.kind === 'group' ? `(${n.capture ? '' : '?:'}${n.alternatives.map((s) => s.map(render).join('')).join('|')})` : `${render(n.node)}${n.q}`;
  const repeats = (q: string) => !['?', '{0,1}'].includes(q);
  const unbounded = (q: string) => ['*', '+', '{3,}', '*?'].includes(q);
  /** Truth from the tree: star height, and whether a repeated group has alternatives, and how many unbounded quantifiers. */
  function truth(n: Node): { height: number; badAlt: boolean; unbounded: number } {
    if (n.kind === 'atom') return { height: 0, badAlt: false, unbounded: 0 };
    if (n.kind === 'group') {
      const parts = n.alternatives.flat().map(truth);
      return { height: Math.max(0, ...parts.map((p) => p.height)), badAlt: parts.some((p) => p.badAlt), unbounded: parts.reduce((s, p) => s + p.unbounded, 0) };
    }
    const inner = truth(n.node);
    const altRepeated = repeats(n.q) && n.node.kind === 'group' && n.node.alternatives.length > 1;
    return { height: inner.height + (repeats(n.q) ? 1 : 0), badAlt: inner.badAlt || altRepeated, unbounded: inner.unbounded + (unbounded(n.q) ? 1 : 0) };
  }

  it('fuzz: agrees with the syntax tree on every generated pattern, and accepted ones run on hostile input', () => {
    fc.assert(
      fc.property(fc.array(node, { minLength: 1, maxLength: 4 }), fc.constantFrom('a', 'ab', '-1', 'x'), (seq, unit) => {
        const pattern = `^${seq.map(render).join('')}$`;
        const t = seq.map(truth);
        const safe = t.every((x) => x.height <= 1 && !x.badAlt) && t.reduce((s, x) => s + x.unbounded, 0) <= 3;
        expect(unsafePattern(pattern) === null, pattern).toBe(safe);
        if (safe) {
          const re = new RegExp(pattern, 'u');
          re.test(unit.repeat(PATTERN_INPUT_MAX).slice(0, PATTERN_INPUT_MAX - 1) + '!');
        }
      }),
      { numRuns: 400, seed: 1202 },
    );
  });

  it('fuzz: never throws on arbitrary text', () => {
    fc.assert(fc.property(fc.string({ maxLength: 200 }), (s) => void unsafePattern(s)), { numRuns: 2000, seed: 7 });
  });
});
