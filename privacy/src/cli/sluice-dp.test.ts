import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const BIN = new URL('../../bin/sluice-dp.mjs', import.meta.url).pathname;
const run = (input: string) => spawnSync(process.execPath, [BIN], { input, encoding: 'utf8', timeout: 30_000 });

describe('sluice-dp (child process)', () => {
  it('prints one fresh noisy integer per input line', () => {
    const lines = Array.from({ length: 400 }, () => JSON.stringify({ mechanism: 'count', value: 1000, epsilon: '0.5', sensitivity: 1 }));
    const result = run(`${lines.join('\n')}\n`);
    expect(result.status).toBe(0);
    const out = result.stdout.trim().split('\n');
    expect(out).toHaveLength(400);
    for (const line of out) expect(line).toMatch(/^-?\d+$/);
    const values = out.map(Number);
    // Scale 1/ε = 2: fresh noise per line, centred on the value.
    expect(new Set(values).size).toBeGreaterThan(5);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    expect(Math.abs(mean - 1000)).toBeLessThan(1);
  });

  it('accepts sums, numbers for ε and digit strings for big integers', () => {
    const result = run(
      [
        JSON.stringify({ mechanism: 'sum', value: -250, epsilon: 0.1, sensitivity: 100 }),
        JSON.stringify({ mechanism: 'sum', value: '123456789012345678901234', epsilon: '1/3', sensitivity: '5' }),
      ].join('\n'),
    );
    expect(result.status).toBe(0);
    const [a, b] = result.stdout.trim().split('\n');
    expect(a).toMatch(/^-?\d+$/);
    expect(BigInt(b!) - 123456789012345678901234n).toBeLessThan(10_000n);
  });

  it('stops at an invalid line with exit code 2 and the line number; earlier outputs are kept', () => {
    const result = run(`${JSON.stringify({ mechanism: 'count', value: 1, epsilon: 1, sensitivity: 1 })}\n{"mechanism":"count","value":1,"epsilon":"-1","sensitivity":1}\n`);
    expect(result.status).toBe(2);
    expect(result.stdout.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/line 2: epsilon/);
  });
});
