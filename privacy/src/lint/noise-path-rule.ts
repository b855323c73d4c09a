import { transformSync } from 'esbuild';
import { parseAst } from 'rollup/parseAst';
import { stripCommentsAndStrings } from './strip-comments-and-strings.ts';

/**
 * Globals that mean floating point, clocks or ambient randomness. In the noise path every value
 * is a bigint and the only randomness is the injected `RandomSource`.
 */
export const BANNED_IDENTIFIERS = new Set([
  'Math', 'Number', 'parseFloat', 'parseInt', 'isNaN', 'isFinite', 'Infinity', 'NaN',
  'Float32Array', 'Float64Array', 'Date', 'performance', 'crypto',
]);

/**
 * The lint rule of the noise path (`privacy/src/noise/**`, `mechanism/**`, `rational/**`):
 * returns one message per violation, empty when the file is clean.
 * - no `number` type anywhere (so `/`, `%` and `**` can only be BigInt integer arithmetic:
 *   TypeScript refuses to mix bigint and number);
 * - every numeric literal is a bigint literal (`2n`, never `2` or `0.5`);
 * - none of {@link BANNED_IDENTIFIERS} (so no `Math.random`, `Math.log`, `Number(x)`, `Date.now()`);
 * - no unary `+` (number coercion).
 * The check parses the code (esbuild strips types, rollup's parser builds an ESTree AST), so
 * comments, strings and property names like `rng.below` do not trip it.
 * @example
 * noisePathViolations('export const half = 1 / 2;', 'x.ts'); // ['x.ts:1: number literal 1 ...', ...]
 */
export function noisePathViolations(source: string, file: string): string[] {
  const violations: string[] = [];
  const code = stripCommentsAndStrings(source);
  code.split('\n').forEach((line, i) => {
    if (/\bnumber\b/.test(line)) violations.push(`${file}:${i + 1}: the number type (use bigint)`);
  });
  const js = transformSync(source, { loader: 'ts', format: 'esm', target: 'esnext' }).code;
  const lineOf = lineIndex(js);
  walk(parseAst(js), (node) => {
    const at = `${file}:~${lineOf(node.start)}`;
    if (node.type === 'Literal' && typeof node.value === 'number') violations.push(`${at}: number literal ${node.raw} (use a bigint literal)`);
    if (node.type === 'Identifier' && BANNED_IDENTIFIERS.has(String(node.name))) violations.push(`${at}: ${node.name} is banned in the noise path`);
    if (node.type === 'UnaryExpression' && node.operator === '+') violations.push(`${at}: unary + (number coercion)`);
  });
  return violations;
}

interface Node {
  type: string;
  start: number;
  [key: string]: unknown;
}

/** Visits every node except non-computed property names (`a.b`, `{ b: 1 }`), which are not references. */
function walk(node: unknown, visit: (node: Node) => void): void {
  if (Array.isArray(node)) {
    for (const child of node) walk(child, visit);
    return;
  }
  if (!node || typeof node !== 'object' || typeof (node as Node).type !== 'string') return;
  const n = node as Node;
  visit(n);
  for (const [key, child] of Object.entries(n)) {
    if (n.type === 'MemberExpression' && key === 'property' && !n.computed) continue;
    if ((n.type === 'Property' || n.type === 'MethodDefinition' || n.type === 'PropertyDefinition') && key === 'key' && !n.computed) continue;
    walk(child, visit);
  }
}

function lineIndex(text: string): (offset: number) => number {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  return (offset) => {
    let line = 0;
    while (line + 1 < starts.length && starts[line + 1]! <= offset) line++;
    return line + 1;
  };
}
