// `npm run models`: train on the OBD sample, evaluate, export ONNX, check in onnxruntime-web, write
// model.onnx + manifest.json + MODEL_CARD.md per version under edge-models/models/. Deterministic.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { findObdDir } from './obd-dir.ts';
import { trainAndEvaluate } from './train-and-evaluate.ts';
import { explanationKind, predict, toOnnx } from './ranking-model.ts';
import { FEATURE_COUNT, FEATURE_SPEC } from './feature-spec.ts';
import { INPUT_NAME, OUTPUT_NAME } from './export-onnx.ts';
import { ONNX_OPSET } from './onnx-schema.ts';
import { MAX_ABS_DIFF, onnxRuntimeMaxDiff } from './onnx-check.ts';
import { modelCard } from './model-card.ts';
import type { ModelManifest } from './model-manifest.ts';
import { operatorsOf } from './operators-of.ts';

/** Version of each model this build writes; a version's file never changes once committed (bump to change it). */
export const MODEL_VERSIONS: Record<string, string> = { 'obd-click-lr': '1.0.0', 'obd-click-fm': '1.0.0', 'obd-click-mlp': '1.0.0' };
const DESCRIPTIONS: Record<string, string> = {
  'obd-click-lr': 'Logistic regression: the transparent baseline, exactly explainable',
  'obd-click-fm': 'Second-order factorization machine (3 factors): pairwise feature interactions on top of the linear terms',
  'obd-click-mlp': 'Multilayer perceptron (one hidden layer of 8 ReLU units): non-linear feature interactions, explained only approximately',
};

const root = process.cwd();
const out = resolve(root, 'edge-models/models');
const force = process.argv.includes('--force');
const obd = findObdDir(root);
if (!obd) throw new Error('OBD sample not found: set OBD_DIR to the folder with random/ and bts/');

const started = performance.now();
const run = trainAndEvaluate(obd);
const index: { name: string; version: string; sha256: string }[] = [];
for (const { name, model, evaluation } of run.models) {
  const version = MODEL_VERSIONS[name]!;
  const file = toOnnx(model);
  const sha256 = createHash('sha256').update(file).digest('hex');
  const dir = join(out, name, version);
  const previous = existsSync(join(dir, 'manifest.json')) ? (JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as ModelManifest) : undefined;
  if (previous && previous.sha256 !== sha256 && !force) {
    throw new Error(`${name} ${version}: the model changed (${previous.sha256.slice(0, 12)} → ${sha256.slice(0, 12)}); bump MODEL_VERSIONS or pass --force`);
  }
  const reference = run.evalFeatures.map((x) => predict(model, x));
  const { maxAbsDiff } = await onnxRuntimeMaxDiff(file, INPUT_NAME, OUTPUT_NAME, run.evalFeatures, reference);
  if (!(maxAbsDiff <= MAX_ABS_DIFF)) throw new Error(`${name}: onnxruntime-web differs from TypeScript by ${maxAbsDiff}`);
  const manifest: ModelManifest = {
    name, version, format: 'onnx', opset: ONNX_OPSET, file: 'model.onnx', sha256, bytes: file.byteLength,
    inputs: [{ name: INPUT_NAME, type: 'float32', shape: ['N', FEATURE_COUNT] }],
    featureSpec: FEATURE_SPEC.map((c, column) => ({ column, ...c })),
    outputs: [{ name: OUTPUT_NAME, type: 'float32', shape: ['N', 1], semantics: 'probability of a click if shown in the first slot; rank candidates by it, descending' }],
    operators: operatorsOf(file),
    explanation: explanationKind(model),
    metrics: {
      data: `Open Bandit Dataset sample (Saito et al., NeurIPS 2021; st-tech/zr-obp @ 8cbd5fa), uniformly random logs of the men and women campaigns pooled; trained on 2019-11-24..28 (${run.train.length} impressions, ${run.train.reduce((s, r) => s + r.click, 0)} clicks), evaluated on 2019-11-29..30. onnxruntime-web 1.30.0 matches the TypeScript scores on all ${run.evaluation.length} held-out rows within ${maxAbsDiff.toExponential(2)}.`,
      rows: evaluation.rows, clicks: evaluation.clicks, model: evaluation.model, baselines: evaluation.baselines, calibration: evaluation.calibration,
    },
    created: previous?.sha256 === sha256 ? previous.created : new Date().toISOString(),
  };
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'model.onnx'), file);
  writeFileSync(join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  writeFileSync(join(dir, 'MODEL_CARD.md'), modelCard(manifest, DESCRIPTIONS[name]!));
  index.push({ name, version, sha256 });
  console.log(`${name} ${version}: ${file.byteLength} B, AUC ${evaluation.model.auc.value.toFixed(3)}, ort max diff ${maxAbsDiff.toExponential(2)}`);
}
writeFileSync(join(out, 'index.json'), `${JSON.stringify(index, null, 2)}\n`);
console.log(`models built in ${((performance.now() - started) / 1000).toFixed(1)} s`);
