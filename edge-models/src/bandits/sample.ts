import type { Rng } from './rng.ts';

/**
 * A standard normal draw (Box–Muller; one of the pair is discarded to keep the function stateless).
 * @example
 * const z = sampleNormal(seededRng(1));
 */
export function sampleNormal(rng: Rng): number {
  const u = 1 - rng(); // (0, 1]: log stays finite
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}

/**
 * A Gamma(shape, 1) draw by Marsaglia and Tsang (2000); shape < 1 through the boost
 * Gamma(a) = Gamma(a + 1) · U^(1/a).
 * @example
 * const g = sampleGamma(2.5, seededRng(1));
 */
export function sampleGamma(shape: number, rng: Rng): number {
  if (shape < 1) return sampleGamma(shape + 1, rng) * Math.pow(1 - rng(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number, v: number;
    do {
      x = sampleNormal(rng);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = 1 - rng();
    if (u < 1 - 0.0331 * x * x * x * x || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

/**
 * A Beta(alpha, beta) draw as X / (X + Y) with X ~ Gamma(alpha), Y ~ Gamma(beta).
 * @example
 * const p = sampleBeta(3, 5, seededRng(1)); // mean 3/8
 */
export function sampleBeta(alpha: number, beta: number, rng: Rng): number {
  const x = sampleGamma(alpha, rng);
  const y = sampleGamma(beta, rng);
  return x / (x + y);
}

/**
 * Index drawn from a probability vector (inverse CDF); the last positive entry absorbs rounding.
 * @example
 * sampleIndex([0.2, 0.8], () => 0.5); // 1
 */
export function sampleIndex(probabilities: readonly number[], rng: Rng): number {
  const u = rng();
  let acc = 0;
  let last = 0;
  for (let i = 0; i < probabilities.length; i++) {
    const p = probabilities[i]!;
    if (p <= 0) continue;
    acc += p;
    last = i;
    if (u < acc) return i;
  }
  return last;
}
