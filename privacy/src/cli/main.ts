import { createInterface } from 'node:readline';
import { cryptoSource } from '../random/crypto-source.ts';
import { auditLine, parseAuditLine } from './audit-line.ts';

/**
 * `sluice-dp`: audit mode of the report mechanism. Reads JSON lines on stdin, prints one fresh
 * noisy integer per line on stdout; spends no budget (there is no data and no ledger here).
 * An invalid line stops the run with exit code 2 and the line number on stderr, so the i-th
 * output always answers the i-th input. Blank lines are skipped.
 */
export async function main(): Promise<void> {
  const rng = cryptoSource();
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  let n = 0;
  const out: string[] = [];
  const flush = () => {
    if (out.length > 0) process.stdout.write(`${out.join('\n')}\n`);
    out.length = 0;
  };
  for await (const line of lines) {
    n++;
    if (!line.trim()) continue;
    const parsed = parseAuditLine(line);
    if (!parsed.ok) {
      flush();
      process.stderr.write(`sluice-dp: line ${n}: ${parsed.reason}\n`);
      process.exitCode = 2;
      lines.close();
      return;
    }
    out.push(`${auditLine(parsed.request, rng)}`);
    if (out.length >= 1024) flush();
  }
  flush();
}
