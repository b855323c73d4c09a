/**
 * @sluice/privacy — pure privacy math for Sluice's reports: exact rationals, the
 * Canonne–Kamath–Steinke discrete Laplace and Gaussian samplers over one injectable
 * randomness source, contribution bounding, the k floor and DP partition selection, and
 * per-day budget accounting. No I/O; runs in workerd, Node and browsers.
 * @example
 * const eps = parseRational('0.5'); // exact 1/2
 * if (eps.ok) laplaceMechanism(120n, 1n, eps.value, cryptoSource()); // 120 + discrete Laplace(2)
 */
export { rational, add, sub, mul, div, compare, floor, gcd, formatRational, type Rational } from './rational/rational.ts';
export { isqrt } from './rational/isqrt.ts';
export { parseRational, MAX_RATIONAL_TEXT, MAX_EXPONENT, type RationalResult } from './params/parse-rational.ts';
export { byteSource, RANDOM_BUFFER_BYTES, type RandomSource } from './random/random-source.ts';
export { cryptoSource } from './random/crypto-source.ts';
export { bernoulli } from './noise/bernoulli.ts';
export { bernoulliExp } from './noise/bernoulli-exp.ts';
export { discreteLaplace } from './noise/discrete-laplace.ts';
export { discreteGaussian } from './noise/discrete-gaussian.ts';
export { SAMPLERS_REFERENCE } from './noise/why-hand-written.ts';
export { laplaceMechanism, laplaceScale } from './mechanism/laplace-mechanism.ts';
export { gaussianMechanism, gaussianVariance } from './mechanism/gaussian-mechanism.ts';
export { boundContribution, type BoundedStep, type ContributionBounds, type UnitPartition, type UnitState } from './bounding/bound-contribution.ts';
export { applyBoundedStep } from './bounding/apply-bounded-step.ts';
export { sensitivities } from './bounding/sensitivity.ts';
export { chargeDays, type ChargeResult } from './budget/charge-days.ts';
export { laplaceHalfWidth, INTERVAL_CONFIDENCE } from './release/interval-half-width.ts';
export { rhoFor, gaussianVarianceFor, gaussianHalfWidth, gaussianSelectionThreshold } from './release/gaussian-calibration.ts';
export { addNoise, type NoiseSpec } from './mechanism/noise-spec.ts';
export { selectionThreshold } from './release/selection-threshold.ts';
export { releaseCells, type TrueCell, type ReleaseParams, type ReleasedCell } from './release/release-cells.ts';
export { parseAuditLine, auditLine, type AuditRequest } from './cli/audit-line.ts';
