import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { noisePathViolations } from './noise-path-rule.ts';
import { stripCommentsAndStrings } from './strip-comments-and-strings.ts';

const SRC = new URL('..', import.meta.url).pathname;
/** The noise path: samplers, the mechanisms that call them, and the exact arithmetic they use. */
const NOISE_PATH = ['noise', 'mechanism', 'rational'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

describe('lint: the noise path is integer/rational only', () => {
  const files = NOISE_PATH.flatMap((dir) => sourceFiles(join(SRC, dir)));

  it('covers the samplers', () => {
    const names = files.map((f) => relative(SRC, f));
    expect(names).toEqual(expect.arrayContaining(['noise/discrete-laplace.ts', 'noise/discrete-gaussian.ts', 'noise/bernoulli-exp.ts', 'mechanism/laplace-mechanism.ts']));
  });

  it('finds no violation in privacy/src/{noise,mechanism,rational}', () => {
    const violations = files.flatMap((file) => noisePathViolations(readFileSync(file, 'utf8'), relative(SRC, file)));
    expect(violations).toEqual([]);
  });

  it.each([
    ['Math.random', 'export const u = () => Math.random();', /Math is banned/],
    ['Math.log', 'export const f = (x: bigint) => Math.log(2);', /Math is banned/],
    ['a float literal', 'export const half = 0.5;', /number literal 0\.5/],
    ['an exponent literal', 'export const tiny = 1e-9;', /number literal 1e-9/],
    ['a plain integer literal', 'export const two = 2;', /number literal 2/],
    ['division typed as number', 'export const d = (a: number, b: number) => a / b;', /number type/],
    ['Number()', 'export const n = (x: bigint) => Number(x);', /Number is banned/],
    ['unary plus', 'export const n = (x: string) => +x;', /unary \+/],
    ['a clock', 'export const t = () => Date.now();', /Date is banned/],
    ['ambient crypto', 'export const r = () => crypto.getRandomValues(new Uint8Array(1n as never));', /crypto is banned/],
  ])('flags %s', (_name, source, message) => {
    const violations = noisePathViolations(source, 'bad.ts');
    expect(violations.length).toBeGreaterThan(0);
    expect(violations.join('\n')).toMatch(message);
  });

  it('is not fooled by comments, strings or property names', () => {
    const source = [
      '// Math.random() and 0.5 in a comment, a number too',
      "export const msg = 'Math.random 0.5 number';",
      'export const f = (o: { Math: bigint }) => o.Math + 1n;',
    ].join('\n');
    expect(noisePathViolations(source, 'ok.ts')).toEqual([]);
  });
});

describe('lint: one randomness source in privacy/src', () => {
  const files = sourceFiles(SRC).filter((f) => !f.includes(`${join(SRC, 'lint')}/`));

  it('has no Math.random anywhere', () => {
    const offenders = files.filter((f) => /Math\s*\.\s*random/.test(stripCommentsAndStrings(readFileSync(f, 'utf8'))));
    expect(offenders.map((f) => relative(SRC, f))).toEqual([]);
  });

  it('touches crypto only in random/crypto-source.ts', () => {
    const offenders = files.filter((f) => /\bcrypto\b/.test(stripCommentsAndStrings(readFileSync(f, 'utf8'))));
    expect(offenders.map((f) => relative(SRC, f))).toEqual(['random/crypto-source.ts']);
  });
});
