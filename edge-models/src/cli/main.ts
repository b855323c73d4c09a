import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { cryptoRng, seededRng } from '../bandits/rng.ts';
import { createBacktest, type BacktestConfig } from './backtest.ts';
import { obdCommand } from './obd-command.ts';
import { opeCommand } from './ope-command.ts';

const USAGE = `sluice-bandit — the gateway's bandit policies over JSON lines

  sluice-bandit run --config policy.json [--seed N]
      stdin:  {"op":"decide","id":"d1","context":[...] | {...}}   → stdout {"arm":…,"propensity":…}
              {"op":"reward","id":"d1","reward":1}                (no answer; may come much later)
  sluice-bandit ope --log decisions.ndjson --candidate candidate.json [--seed N]
      off-policy value (IPS, SNIPS, DR, bootstrap 95 % intervals, ESS) of a candidate from a decision log
  sluice-bandit obd [--data DIR] [--seed N]
      replays the Open Bandit Dataset sample: Random → BTS and BTS → Random, beside the paper's figures`;

function flag(args: string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
}

/** Entry point of the bin (edge-models/bin/sluice-bandit.mjs). */
export async function main(args: string[]): Promise<number> {
  const [command] = args;
  const seed = flag(args, 'seed');
  const rng = seed === undefined ? cryptoRng() : seededRng(Number(seed));
  if (command === 'run') {
    const path = flag(args, 'config');
    if (!path) return usage();
    const backtest = createBacktest(JSON.parse(readFileSync(path, 'utf8')) as BacktestConfig, rng);
    // One write per answer: a simulator may wait for each decision before it sends the next line.
    for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
      const answer = backtest.handle(line);
      if (answer !== null) process.stdout.write(answer + '\n');
    }
    process.stderr.write(JSON.stringify(backtest.stats) + '\n');
    return backtest.stats.errors ? 1 : 0;
  }
  if (command === 'ope') return opeCommand(args, rng, flag);
  if (command === 'obd') return obdCommand(flag(args, 'data') ?? '/work/shared/data/obd', rng);
  return usage();
}

function usage(): number {
  process.stderr.write(USAGE + '\n');
  return 2;
}
