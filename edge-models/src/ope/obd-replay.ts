import type { Rng } from '../bandits/rng.ts';
import { sampleBeta } from '../bandits/sample.ts';
import { evaluatePolicy, type OpeReport } from './evaluate-policy.ts';
import { fitRewardModel } from './fit-reward-model.ts';
import type { ActionDist, LoggedFeedback } from './logged-feedback.ts';

/** OBD shows 3 items per impression (positions 1, 2, 3). */
export const OBD_POSITIONS = 3;

/**
 * Published figures to print beside ours (see /work/shared/docs/bandits.md §1.1 and §1.4):
 * on-policy CTRs of the full data (paper Table 1) and relative estimation errors of BTS's value
 * estimated from Random logs — full data (usaito/obp-demo, logistic reward model) and OBP's own
 * small-sample "all" example.
 */
export const OBD_PAPER = {
  ctr: { all: { random: 0.0035, bts: 0.005 }, men: { random: 0.0051, bts: 0.0067 }, women: { random: 0.0048, bts: 0.0064 } },
  randomToBtsFullData: { all: { ipw: 0.115, dr: 0.118 }, men: { ipw: 0.135, dr: 0.12 }, women: { ipw: 0.079, dr: 0.079 } },
  randomToBtsSmallSampleAll: { ipw: 0.311, snipw: 0.312, dr: 0.292 },
} as const;

/** One OBD log file reduced to what OPE needs (item = action, position as the group). */
export interface ObdLog {
  item: number[];
  position: number[];
  click: number[];
  propensity: number[];
}

/**
 * Parses an OBD log CSV (`,timestamp,item_id,position,click,propensity_score,…`).
 * @example
 * const log = parseObdLog(readFileSync('random/men/men.csv', 'utf8'));
 */
export function parseObdLog(csv: string): ObdLog {
  const lines = csv.split('\n').filter((l) => l.trim());
  const header = lines[0]!.split(',');
  const col = (name: string) => header.indexOf(name);
  const [item, position, click, propensity] = ['item_id', 'position', 'click', 'propensity_score'].map(col) as [number, number, number, number];
  const log: ObdLog = { item: [], position: [], click: [], propensity: [] };
  for (const line of lines.slice(1)) {
    const cells = line.split(',');
    log.item.push(Number(cells[item]));
    log.position.push(Number(cells[position]));
    log.click.push(Number(cells[click]));
    log.propensity.push(Number(cells[propensity]));
  }
  return log;
}

/**
 * The stationary BTS policy OBP replays: draw θ_k ~ Beta(α_k, β_k) for every item, the top 3
 * fill positions 1–3; `draws` rounds give P(item k at position j), a K × 3 table.
 * @example
 * const table = btsActionDist(prior.alpha, prior.beta, 100_000, seededRng(1));
 */
export function btsActionDist(alpha: readonly number[], beta: readonly number[], draws: number, rng: Rng): number[][] {
  const k = alpha.length;
  const table = Array.from({ length: k }, () => new Array<number>(OBD_POSITIONS).fill(0));
  const theta = new Array<number>(k);
  const order = Array.from({ length: k }, (_, i) => i);
  for (let n = 0; n < draws; n++) {
    for (let i = 0; i < k; i++) theta[i] = sampleBeta(alpha[i]!, beta[i]!, rng);
    // Partial selection of the top 3 is enough.
    for (let pos = 0; pos < OBD_POSITIONS; pos++) {
      let best = pos;
      for (let i = pos + 1; i < k; i++) if (theta[order[i]!]! > theta[order[best]!]!) best = i;
      [order[pos], order[best]] = [order[best]!, order[pos]!];
      table[order[pos]!]![pos]! += 1 / draws;
    }
  }
  return table;
}

export interface ObdDirection {
  /** Mean click of the evaluation policy's own log: the ground truth. */
  onPolicy: number;
  report: OpeReport;
  relativeError: { ips: number; snips: number; dr: number };
}

export interface ObdReplay {
  randomToBts: ObdDirection;
  btsToRandom: ObdDirection;
}

/**
 * OBP's evaluation protocol on one campaign: estimate BTS's CTR from the Random log (π_e from
 * the production prior, replayed) and Random's CTR from the BTS log (with BTS's logged
 * propensities), each scored by relative error |V̂ − V_on| / V_on against the other log's mean click.
 * @example
 * const replay = replayObd(randomLog, btsLog, prior, { rng: seededRng(1) });
 */
export function replayObd(random: ObdLog, bts: ObdLog, prior: { alpha: number[]; beta: number[] }, options: { rng: Rng; draws?: number; bootstrap?: number }): ObdReplay {
  const k = prior.alpha.length;
  const table = btsActionDist(prior.alpha, prior.beta, options.draws ?? 100_000, options.rng);
  const btsDist: ActionDist = random.position.map((pos) => table.map((row) => row[pos - 1]!));
  const uniform: ActionDist = bts.position.map(() => new Array<number>(k).fill(1 / k));
  return {
    randomToBts: direction(random, btsDist, mean(bts.click), k, options),
    btsToRandom: direction(bts, uniform, mean(random.click), k, options),
  };
}

function direction(log: ObdLog, actionDist: ActionDist, onPolicy: number, k: number, options: { rng: Rng; bootstrap?: number }): ObdDirection {
  const data: LoggedFeedback = { action: log.item, reward: log.click, propensity: log.propensity };
  const report = evaluatePolicy(data, actionDist, { arms: k, rng: options.rng, bootstrap: options.bootstrap ?? 200, rewardModel: fitRewardModel(data, k, log.position) });
  const rel = (v: number) => Math.abs(v - onPolicy) / onPolicy;
  return { onPolicy, report, relativeError: { ips: rel(report.ips.value), snips: rel(report.snips.value), dr: rel(report.dr.value) } };
}

function mean(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}
