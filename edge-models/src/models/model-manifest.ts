import type { FeatureColumn } from './feature-spec.ts';
import type { Evaluation } from './evaluate.ts';

/** A tensor the model reads or writes; `'N'` is the dynamic batch (one row per candidate). */
export interface TensorSpec {
  readonly name: string;
  readonly type: 'float32';
  readonly shape: readonly (number | 'N')[];
}

/**
 * What the gateway serves next to every model file and what the SDK checks before running it.
 * Another runtime can check the same file against it: inputs, feature spec, output meaning, SHA-256.
 */
export interface ModelManifest {
  readonly name: string;
  readonly version: string;
  readonly format: 'onnx';
  readonly opset: number;
  /** File name beside this manifest. */
  readonly file: string;
  /** Lower-case hex SHA-256 of the file. */
  readonly sha256: string;
  readonly bytes: number;
  readonly inputs: readonly TensorSpec[];
  /** How each column of `inputs[0]` is computed, in column order. */
  readonly featureSpec: readonly (FeatureColumn & { readonly column: number })[];
  readonly outputs: readonly (TensorSpec & { readonly semantics: string })[];
  /** ONNX operators in the graph (what a runtime must implement). */
  readonly operators: readonly string[];
  readonly explanation: 'exact-linear' | 'approximate-occlusion';
  readonly metrics: Pick<Evaluation, 'rows' | 'clicks' | 'model' | 'baselines' | 'calibration'> & { readonly data: string };
  /** ISO 8601; kept across rebuilds while the file's SHA-256 is unchanged. */
  readonly created: string;
}
