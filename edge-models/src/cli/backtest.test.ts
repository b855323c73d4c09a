import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { seededRng } from '../bandits/rng.ts';
import { createBacktest, type BacktestConfig } from './backtest.ts';

const config: BacktestConfig = {
  arms: [{ id: 'red' }, { id: 'blue' }, { id: 'green' }],
  context: { features: [{ name: 'device', type: 'category', values: ['mobile', 'desktop'] }], dimension: 3 },
  algorithm: { type: 'lints' },
  floor: 0.02,
};

/** Decides interleaved with rewards that arrive 5 steps late, one duplicate and one unknown id. */
function script(n: number): string[] {
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    lines.push(JSON.stringify({ op: 'decide', id: `d${i}`, context: { device: i % 2 ? 'mobile' : 'desktop' } }));
    if (i >= 5) lines.push(JSON.stringify({ op: 'reward', id: `d${i - 5}`, reward: (i * 31) % 7 === 0 ? 1 : 0 }));
  }
  lines.push(JSON.stringify({ op: 'reward', id: 'd0', reward: 1 }), JSON.stringify({ op: 'reward', id: 'nope', reward: 1 }));
  return lines;
}

describe('sluice-bandit backtest', () => {
  it('answers each decide with {arm, propensity}; late rewards learn, duplicates and unknown ids are counted', () => {
    const bt = createBacktest(config, seededRng(3));
    const out = script(60).map((l) => bt.handle(l)).filter((l) => l !== null);
    expect(out).toHaveLength(60);
    for (const line of out) {
      const answer = JSON.parse(line!);
      expect(Object.keys(answer)).toEqual(['arm', 'propensity']);
      expect(['red', 'blue', 'green']).toContain(answer.arm);
      expect(answer.propensity).toBeGreaterThanOrEqual(0.02);
    }
    expect(bt.stats).toMatchObject({ decisions: 60, rewards: 55, duplicateRewards: 1, unknownRewards: 1, errors: 0 });
    expect(bt.state.updates).toBe(55);
  });

  it('bad lines get an error line and never stop the stream', () => {
    const bt = createBacktest(config, seededRng(3));
    expect(JSON.parse(bt.handle('{nope')!).error.code).toBe('invalid_line');
    expect(JSON.parse(bt.handle('{"op":"decide","id":"x","context":[1,2]}')!).error.message).toMatch(/3/);
    expect(JSON.parse(bt.handle('{"op":"decide","id":"y","context":{"device":"mobile"}}')!)).toHaveProperty('arm');
  });

  it('the bin evaluates a candidate on an exported decision log (ope)', async () => {
    const { writeFileSync, mkdtempSync } = await import('node:fs');
    const dir = mkdtempSync('/tmp/sluice-ope-');
    const rng = seededRng(9);
    // Uniform logging over 2 arms; arm 1 converts at 30 %, arm 0 at 10 %; a few holdout rows are excluded.
    const lines = Array.from({ length: 4000 }, (_, i) => {
      const armIndex = rng() < 0.5 ? 0 : 1;
      const reward = rng() < (armIndex ? 0.3 : 0.1) ? 1 : null;
      return JSON.stringify({ decisionId: `e.${i}`, at: i, arm: armIndex ? 'b' : 'a', armIndex, propensity: 0.5, x: [1], reward, policyVersion: '1.0', holdout: i % 50 === 0, fallback: false });
    });
    writeFileSync(`${dir}/log.ndjson`, lines.join('\n') + '\n');
    writeFileSync(`${dir}/candidate.json`, JSON.stringify({ type: 'fixed', probabilities: [0, 1] }));
    const bin = new URL('../../bin/sluice-bandit.mjs', import.meta.url).pathname;
    const run = spawnSync(process.execPath, [bin, 'ope', '--log', `${dir}/log.ndjson`, '--candidate', `${dir}/candidate.json`, '--seed', '1'], { encoding: 'utf8', timeout: 30_000 });
    expect(run.status).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.n).toBe(4000 - 80);
    expect(report.snips.value).toBeGreaterThan(0.26);
    expect(report.snips.value).toBeLessThan(0.34);
    expect(report.loggedValue).toBeLessThan(0.22);
    expect(report.effectiveSampleSize).toBeGreaterThan(1500);
  });

  it('the bin speaks the same protocol and makes the same decisions for the same seed', async () => {
    const { writeFileSync, mkdtempSync } = await import('node:fs');
    const dir = mkdtempSync('/tmp/sluice-bandit-');
    writeFileSync(`${dir}/policy.json`, JSON.stringify(config));
    const input = script(40).join('\n') + '\n';
    const bin = new URL('../../bin/sluice-bandit.mjs', import.meta.url).pathname;
    const run = spawnSync(process.execPath, [bin, 'run', '--config', `${dir}/policy.json`, '--seed', '42'], { input, encoding: 'utf8', timeout: 30_000 });
    expect(run.status).toBe(0);
    const bt = createBacktest(config, seededRng(42));
    const expected = input.split('\n').map((l) => bt.handle(l)).filter((l) => l !== null);
    expect(run.stdout.trim().split('\n')).toEqual(expected);
    expect(JSON.parse(run.stderr.trim())).toMatchObject({ decisions: 40, rewards: 35 });
  });
});
