import { describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findObdDir } from './obd-dir.ts';
import { loadObd } from './obd-loader.ts';
import { timeSplit, OBD_FIRST_EVAL_DAY } from './time-split.ts';
import { featurize } from './feature-spec.ts';

const obd = findObdDir(process.cwd());

describe.skipIf(!obd)('loadObd on the OBD sample', () => {
  it('reads the random men log: 10,000 rows, 46 clicks, propensity 1/34, 34 affinities', () => {
    const rows = loadObd(obd!, 'random', 'men');
    if (!Array.isArray(rows)) throw new Error(rows.message);
    expect(rows).toHaveLength(10_000);
    expect(rows.reduce((s, r) => s + r.click, 0)).toBe(46);
    expect(rows.every((r) => r.propensity === 1 / 34 && r.affinity.length === 34)).toBe(true);
  });
  it('reads BTS logs with their propensities, which vary', () => {
    const rows = loadObd(obd!, 'bts', 'women');
    if (!Array.isArray(rows)) throw new Error(rows.message);
    expect(new Set(rows.map((r) => r.propensity)).size).toBeGreaterThan(1000);
    expect(rows.every((r) => r.propensity > 0 && r.propensity <= 1)).toBe(true);
  });
  it('splits by time: every training day precedes every evaluation day', () => {
    const rows = loadObd(obd!, 'random', 'women');
    if (!Array.isArray(rows)) throw new Error(rows.message);
    const { train, evaluation } = timeSplit(rows, OBD_FIRST_EVAL_DAY);
    expect(train.length + evaluation.length).toBe(rows.length);
    expect(train.every((r) => r.day < '2019-11-29') && evaluation.every((r) => r.day >= '2019-11-29')).toBe(true);
    expect(evaluation.length).toBeGreaterThan(2000);
  });
  it('rejects a BTS row without a usable propensity, and a missing folder', () => {
    const dir = mkdtempSync(join(tmpdir(), 'obd-'));
    mkdirSync(join(dir, 'bts', 'men'), { recursive: true });
    const source = readFileSync(join(obd!, 'bts', 'men', 'men.csv'), 'utf8').split('\n');
    const header = source[0]!.split(',');
    const bad = source[1]!.split(',');
    bad[header.indexOf('propensity_score')] = '0';
    writeFileSync(join(dir, 'bts', 'men', 'men.csv'), [source[0], bad.join(',')].join('\n'));
    writeFileSync(join(dir, 'bts', 'men', 'item_context.csv'), readFileSync(join(obd!, 'bts', 'men', 'item_context.csv')));
    expect(loadObd(dir, 'bts', 'men')).toMatchObject({ error: 'malformed' });
    expect(loadObd(dir, 'random', 'men')).toMatchObject({ error: 'missing' });
  });
  it('featurizes affinity of the shown item, its category, the total and the slot', () => {
    const rows = loadObd(obd!, 'random', 'men');
    if (!Array.isArray(rows)) throw new Error(rows.message);
    const row = rows.find((r) => r.affinity[r.itemId]! > 0 && r.position === 3)!;
    const x = featurize(row);
    expect(x[0]).toBeCloseTo(Math.log1p(row.affinity[row.itemId]!), 12);
    expect(x[1]).toBe(1);
    expect(x[2]).toBeGreaterThanOrEqual(x[0]!);
    expect(x[3]).toBeGreaterThanOrEqual(x[2]!);
    expect([x[4], x[5]]).toEqual([0, 1]);
  });
});
