import type { ModelManifest } from './model-manifest.ts';
import type { Interval } from './bootstrap.ts';

const f = (v: number, digits = 3) => v.toFixed(digits);
const ci = (i: Interval, digits = 3) => `${f(i.value, digits)} [${f(i.low, digits)}, ${f(i.high, digits)}]`;
const excludesZero = (i: Interval) => i.low > 0 || i.high < 0;

/**
 * What the intervals allow one to say, in words: only differences whose 95 % interval excludes 0.
 *
 * @example
 * claims(manifest); // ['Log-loss: lower than popularity …', …]
 */
export function claims(manifest: ModelManifest): string[] {
  const out: string[] = [];
  for (const [name, b] of Object.entries(manifest.metrics.baselines)) {
    const d = b.modelMinusBaseline;
    out.push(excludesZero(d.auc)
      ? `AUC: ${d.auc.value > 0 ? 'higher' : 'lower'} than the ${name} baseline (difference ${ci(d.auc)}).`
      : `AUC: not distinguishable from the ${name} baseline (difference ${ci(d.auc)} includes 0).`);
    out.push(excludesZero(d.logLoss)
      ? `Log-loss: ${d.logLoss.value < 0 ? 'lower (better)' : 'higher (worse)'} than the ${name} baseline (difference ${ci(d.logLoss, 4)}).`
      : `Log-loss: not distinguishable from the ${name} baseline (difference ${ci(d.logLoss, 4)} includes 0).`);
  }
  return out;
}

/**
 * The model card (markdown) of one version: purpose, data, features, metrics with intervals, claims, limits, owner.
 *
 * @example
 * writeFileSync('MODEL_CARD.md', modelCard(manifest, 'logistic regression'));
 */
export function modelCard(m: ModelManifest, description: string): string {
  const rows = Object.entries(m.metrics.baselines).map(([name, b]) => `| ${name} baseline | ${ci(b.auc)} | ${ci(b.logLoss, 4)} | ${ci(b.modelMinusBaseline.auc)} | ${ci(b.modelMinusBaseline.logLoss, 4)} |`);
  return `# Model card: ${m.name} ${m.version}

**Purpose.** Rank a page's candidate items for one visitor, in that visitor's browser, by the probability
of a click if the item were shown in the first slot. ${description}. The score leaves nothing on the device:
only the outcome (impression, click) travels, as ordinary consented events carrying \`${m.name}\` and \`${m.version}\`.

**Owner.** Sluice maintainers (\`edge-models/\`). Rebuilt by \`npm run models\`; deterministic (fixed seeds).

**Data.** ${m.metrics.data}

**File.** \`${m.file}\`, ONNX opset ${m.opset}, ${m.bytes} bytes, SHA-256 \`${m.sha256}\`. Operators: ${m.operators.join(', ')}.
Explanations: ${m.explanation === 'exact-linear' ? 'exact (linear logit: each contribution is weight × value)' : 'approximate (occlusion on the logit: the change when one feature is set to 0; interactions are counted for each feature they involve)'}.

## Features (input \`${m.inputs[0]!.name}\`, shape [${m.inputs[0]!.shape.join(', ')}], ${m.inputs[0]!.type})

| column | name | at training (OBD) | on the device |
| --- | --- | --- | --- |
${m.featureSpec.map((c) => `| ${c.column} | \`${c.name}\` | ${c.obd} | ${c.device} |`).join('\n')}

## Metrics on the held-out days (${m.metrics.rows} impressions, ${m.metrics.clicks} clicks)

Point estimate [percentile bootstrap 95 % interval, 1,000 paired resamples of the held-out rows].

| scorer | AUC | log-loss | model − scorer, AUC | model − scorer, log-loss |
| --- | --- | --- | --- | --- |
| **this model** | ${ci(m.metrics.model.auc)} | ${ci(m.metrics.model.logLoss, 4)} | | |
${rows.join('\n')}

### What these intervals allow us to claim

${claims(m).map((c) => `- ${c}`).join('\n')}
- With ${m.metrics.clicks} held-out clicks an AUC interval is about ±0.1 wide: this sample can show a
  pipeline that works end to end and a model that is not badly calibrated; it cannot show that the model
  ranks better than chance. Retrain on the full OBD (26M rows) or on a site's own consented outcomes before
  claiming a lift.

## Calibration (reliability table, equal-count bins of predicted probability)

| rows | mean predicted | observed CTR | clicks |
| --- | --- | --- | --- |
${m.metrics.calibration.map((b) => `| ${b.rows} | ${f(b.meanPredicted * 100, 3)} % | ${f(b.observedRate * 100, 3)} % | ${b.clicks} |`).join('\n')}

## Limits

- Trained on two campaigns of one fashion shop in one week of 2019; a site's own items, visitors and
  season differ. The features are deliberately site-free (interaction counts), so the model transfers
  mechanically, not necessarily in quality.
- OBD's affinity is past clicks per item; the device counts the visitor's own interactions (views and
  clicks) per item: same meaning, different scale for visitors who view much and click little.
- Position is trained on and held at the first slot when ranking (no position bias in the scores).
- Only the uniformly random logs are used (unbiased for every item and slot). The BTS logs would need
  their propensities as importance weights; they are loaded with propensities but not trained on.
`;
}
