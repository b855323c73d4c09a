import { readFileSync } from 'node:fs';
import type { Rng } from '../bandits/rng.ts';
import { candidateActionDist, type Candidate } from '../ope/candidate-policy.ts';
import { feedbackFromRecords, type DecisionRecord } from '../ope/decision-record.ts';
import { evaluatePolicy } from '../ope/evaluate-policy.ts';

/** `sluice-bandit ope --log decisions.ndjson --candidate candidate.json`: prints one JSON report. */
export function opeCommand(args: string[], rng: Rng, flag: (args: string[], name: string) => string | undefined): number {
  const log = flag(args, 'log');
  const candidatePath = flag(args, 'candidate');
  if (!log || !candidatePath) {
    process.stderr.write('ope needs --log <decisions.ndjson> and --candidate <candidate.json>\n');
    return 2;
  }
  const records = readFileSync(log, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as DecisionRecord);
  const { data } = feedbackFromRecords(records);
  const candidate = JSON.parse(readFileSync(candidatePath, 'utf8')) as Candidate;
  const arms = candidate.type === 'fixed' ? candidate.probabilities.length : candidate.config.arms;
  const report = evaluatePolicy(data, candidateActionDist(candidate, data), { arms, rng });
  const logged = data.reward.reduce((a, b) => a + b, 0) / Math.max(1, data.reward.length);
  process.stdout.write(JSON.stringify({ loggedValue: logged, ...report }, null, 2) + '\n');
  return 0;
}
