import { describe, expect, it } from 'vitest';
import { predictMultilayerPerceptron, trainMultilayerPerceptron } from './multilayer-perceptron.ts';
import { predictLogisticRegression, trainLogisticRegression } from './logistic-regression.ts';
import { auc } from './metrics.ts';
import { seededRandom } from './seeded-random.ts';

/** Clicks when exactly one of two flags is set (XOR): no linear logit can rank this. */
function xorData(n: number, seed: number) {
  const next = seededRandom(seed);
  const xs: Float64Array[] = [];
  const ys = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const a = next() < 0.5 ? 1 : 0;
    const b = next() < 0.5 ? 1 : 0;
    xs.push(Float64Array.of(a, b, next()));
    ys[i] = (a ^ b) === 1 ? (next() < 0.9 ? 1 : 0) : next() < 0.1 ? 1 : 0;
  }
  return { xs, ys };
}

describe('multilayer perceptron', () => {
  it('learns an interaction a logistic regression cannot (XOR of two flags), on held-out rows', () => {
    const train = xorData(800, 1);
    const test = xorData(400, 2);
    const mlp = trainMultilayerPerceptron(train.xs, train.ys, { hidden: 8, iterations: 400, learningRate: 0.05 });
    const lr = trainLogisticRegression(train.xs, train.ys);
    const mlpAuc = auc(Float64Array.from(test.xs, (x) => predictMultilayerPerceptron(mlp, x)), test.ys);
    const lrAuc = auc(Float64Array.from(test.xs, (x) => predictLogisticRegression(lr, x)), test.ys);
    expect(mlpAuc).toBeGreaterThan(0.85);
    expect(lrAuc).toBeLessThan(0.65);
  });

  it('is deterministic for a seed and differs across seeds; parameters are float32-exact', () => {
    const { xs, ys } = xorData(200, 3);
    const a = trainMultilayerPerceptron(xs, ys, { iterations: 50, seed: 5 });
    const b = trainMultilayerPerceptron(xs, ys, { iterations: 50, seed: 5 });
    const c = trainMultilayerPerceptron(xs, ys, { iterations: 50, seed: 6 });
    expect(a).toEqual(b);
    expect(Array.from(a.hiddenWeights)).not.toEqual(Array.from(c.hiddenWeights));
    expect([a.hiddenWeights.length, a.hiddenBias.length, a.outputWeights.length]).toEqual([3 * 8, 8, 8]);
    expect(Math.fround(a.outputBias)).toBe(a.outputBias);
  });
});
