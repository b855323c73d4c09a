import { compare, rational, type Rational } from '../rational/rational.ts';
import { parseRational } from '../params/parse-rational.ts';
import { laplaceMechanism } from '../mechanism/laplace-mechanism.ts';
import type { RandomSource } from '../random/random-source.ts';

/** One audit request of `sluice-dp`, validated. */
export interface AuditRequest {
  readonly mechanism: 'count' | 'sum';
  readonly value: bigint;
  readonly epsilon: Rational;
  readonly sensitivity: bigint;
}

/** The report API's own ceiling on ε per query (Privacy Sandbox allows up to 64; so do we). */
const MAX_EPSILON = rational(64n);

/**
 * Parses one JSON line `{"mechanism":"count"|"sum","value":n,"epsilon":e,"sensitivity":s}`.
 * `value` and `sensitivity` are integers (JSON numbers that are safe integers, or digit
 * strings for larger ones); `epsilon` is a decimal string, a fraction string or a JSON number
 * (see `parseRational` for the exact conversion).
 * @example
 * parseAuditLine('{"mechanism":"count","value":10,"epsilon":"0.5","sensitivity":1}');
 */
export function parseAuditLine(line: string): { ok: true; request: AuditRequest } | { ok: false; reason: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    return { ok: false, reason: 'not JSON' };
  }
  if (typeof raw !== 'object' || raw === null) return { ok: false, reason: 'expected a JSON object' };
  const { mechanism, value, epsilon, sensitivity } = raw as Record<string, unknown>;
  if (mechanism !== 'count' && mechanism !== 'sum') return { ok: false, reason: 'mechanism must be "count" or "sum"' };
  const v = integer(value);
  if (v === null || (mechanism === 'count' && v < 0n)) return { ok: false, reason: 'value must be an integer (non-negative for count)' };
  const s = integer(sensitivity);
  if (s === null || s < 1n) return { ok: false, reason: 'sensitivity must be a positive integer' };
  const eps = parseRational(epsilon);
  if (!eps.ok || eps.value.num === 0n || compare(eps.value, MAX_EPSILON) > 0n) return { ok: false, reason: 'epsilon must be a rational in (0, 64]' };
  return { ok: true, request: { mechanism, value: v, epsilon: eps.value, sensitivity: s } };
}

/**
 * One fresh noisy output for an audit request: exactly the report API's mechanism
 * (`laplaceMechanism`, discrete Laplace of scale sensitivity/ε), with no budget involved.
 * @example
 * auditLine(request, cryptoSource()); // e.g. 11n
 */
export function auditLine(request: AuditRequest, rng: RandomSource): bigint {
  return laplaceMechanism(request.value, request.sensitivity, request.epsilon, rng);
}

function integer(input: unknown): bigint | null {
  if (typeof input === 'number') return Number.isSafeInteger(input) ? BigInt(input) : null;
  if (typeof input === 'string' && /^-?\d{1,30}$/.test(input)) return BigInt(input);
  return null;
}
