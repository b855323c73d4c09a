/**
 * Why a JSON value is too deep or too large to accept, or `undefined` when it is fine. Iterative
 * (an explicit stack), so a hostile value thousands of levels deep cannot overflow the call stack;
 * it stops at the first node past a bound. The value itself is depth 1.
 * @example jsonShapeProblem({ a: { b: 1 } }, 16, 4096) // undefined
 */
export function jsonShapeProblem(value: unknown, maxDepth: number, maxNodes: number): string | undefined {
  const stack: Array<{ node: object; depth: number }> = [];
  let nodes = 1;
  if (typeof value === 'object' && value !== null) stack.push({ node: value, depth: 1 });
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    if (depth > maxDepth) return `must be nested at most ${maxDepth} levels deep`;
    for (const child of Array.isArray(node) ? node : Object.values(node)) {
      if (++nodes > maxNodes) return `must hold at most ${maxNodes} values`;
      if (typeof child === 'object' && child !== null) stack.push({ node: child, depth: depth + 1 });
    }
  }
  return undefined;
}
