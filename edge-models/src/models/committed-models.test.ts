import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { committedModels } from './committed-models.ts';
import { operatorsOf } from './operators-of.ts';
import { findObdDir } from './obd-dir.ts';
import { trainAndEvaluate } from './train-and-evaluate.ts';
import { predict, toOnnx } from './ranking-model.ts';
import { MAX_ABS_DIFF, onnxRuntimeMaxDiff } from './onnx-check.ts';
import { FEATURE_COUNT, FEATURE_SPEC } from './feature-spec.ts';

const models = committedModels(resolve(process.cwd(), 'edge-models/models'));
const obd = findObdDir(process.cwd());

describe('committed model artifacts', () => {
  it('lists a logistic regression and two richer models (FM, MLP)', () => {
    expect(models.map((m) => m.manifest.name).sort()).toEqual(['obd-click-fm', 'obd-click-lr', 'obd-click-mlp']);
  });
  for (const { manifest, file } of models) {
    it(`${manifest.name} ${manifest.version}: file matches its manifest (SHA-256, size, operators, inputs)`, () => {
      expect(createHash('sha256').update(file).digest('hex')).toBe(manifest.sha256);
      expect(file.byteLength).toBe(manifest.bytes);
      expect(operatorsOf(file)).toEqual(manifest.operators);
      expect(manifest.inputs).toEqual([{ name: 'features', type: 'float32', shape: ['N', FEATURE_COUNT] }]);
      expect(manifest.featureSpec.map((c) => c.name)).toEqual(FEATURE_SPEC.map((c) => c.name));
      expect(Date.parse(manifest.created)).not.toBeNaN();
    });
  }
});

describe.skipIf(!obd)('retraining reproduces the committed files, and onnxruntime-web agrees with TypeScript', () => {
  const run = obd ? trainAndEvaluate(obd) : undefined;
  for (const { manifest, file } of models) {
    it(`${manifest.name}: same bytes; onnxruntime-web within ${MAX_ABS_DIFF} on every held-out row`, async () => {
      const trained = run!.models.find((m) => m.name === manifest.name)!;
      expect(Buffer.from(toOnnx(trained.model)).equals(Buffer.from(file))).toBe(true);
      const reference = run!.evalFeatures.map((x) => predict(trained.model, x));
      const { maxAbsDiff, scores } = await onnxRuntimeMaxDiff(file, 'features', 'score', run!.evalFeatures, reference);
      expect(scores).toHaveLength(run!.evaluation.length);
      expect(maxAbsDiff).toBeLessThanOrEqual(MAX_ABS_DIFF);
      expect(trained.evaluation.model).toEqual(manifest.metrics.model);
    });
  }
});
