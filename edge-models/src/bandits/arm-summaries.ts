import type { BanditState } from './bandit-state.ts';
import { dot, matVec } from './linalg.ts';
import { POLICY_DEFAULTS, type PolicyConfig } from './policy-config.ts';
import type { Rng } from './rng.ts';
import { sampleBeta } from './sample.ts';

/** z for a two-sided 95 % normal interval. */
export const Z95 = 1.959963984540054;

export interface ArmSummary {
  arm: number;
  pulls: number;
  /** Posterior mean reward (Beta: α/(α+β); linear: xᵀθ̂ at the given context; mean: sample mean). */
  mean: number;
  /** 95 % interval: Beta credible interval (2.5 % and 97.5 % quantiles of posterior draws); linear: xᵀθ̂ ± 1.96·v·sqrt(xᵀA⁻¹x); mean: normal approximation. */
  low: number;
  high: number;
}

/**
 * Posterior means with 95 % intervals per arm, for the incrementality report.
 * @example
 * armSummaries(config, state, [1], seededRng(1)); // [{ arm: 0, pulls, mean, low, high }, ...]
 */
export function armSummaries(config: PolicyConfig, state: BanditState, x: readonly number[], rng: Rng, draws = 4000): ArmSummary[] {
  const m = state.model;
  return state.pulls.map((pulls, arm) => {
    if (m.type === 'beta') {
      const a = m.alpha[arm]!, b = m.beta[arm]!;
      const samples = Array.from({ length: draws }, () => sampleBeta(a, b, rng)).sort((p, q) => p - q);
      return { arm, pulls, mean: a / (a + b), low: samples[Math.floor(0.025 * draws)]!, high: samples[Math.ceil(0.975 * draws) - 1]! };
    }
    if (m.type === 'linear') {
      const mean = dot(x, matVec(m.inverse[arm]!, m.b[arm]!));
      const a = config.algorithm;
      const v = a.type === 'lints' ? a.scale ?? POLICY_DEFAULTS.scale : 1;
      const half = Z95 * v * Math.sqrt(Math.max(dot(x, matVec(m.inverse[arm]!, x)), 0));
      return { arm, pulls, mean, low: mean - half, high: mean + half };
    }
    const n = m.counts[arm]!;
    const mean = n > 0 ? m.sums[arm]! / n : 0;
    const half = n > 0 ? Z95 * Math.sqrt(Math.max(mean * (1 - mean), 0) / n) : Infinity;
    return { arm, pulls, mean, low: mean - half, high: mean + half };
  });
}
