import { createTinySession } from '@sluice/edge-models/runtime';

/** A loaded model: score `rows` feature vectors of `width` columns → one probability each. */
export interface ModelSession {
  readonly runtime: 'tiny' | 'onnxruntime';
  score(features: Float32Array, rows: number, width: number): Promise<Float32Array>;
}

/** The manifest fields the SDK uses (the gateway serves the full edge-models manifest). */
export interface ServedManifest {
  name: string;
  version: string;
  sha256: string;
  inputs: { name: string; shape: (number | 'N')[] }[];
  outputs: { name: string }[];
  featureSpec: { column: number; name: string }[];
  explanation: 'exact-linear' | 'approximate-occlusion';
}

/**
 * Lower-case hex SHA-256 of bytes (WebCrypto; needs a secure context).
 *
 * @example
 * await sha256Hex(bytes) === manifest.sha256
 */
export async function sha256Hex(bytes: ArrayBuffer): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * A session on a verified model file: the tiny runtime when it can run the file (and `runtime`
 * allows), onnxruntime-web from its own lazily loaded chunk otherwise.
 *
 * @example
 * const session = await createSession(bytes, manifest, 'auto', () => import(ortChunkUrl));
 */
export async function createSession(
  file: Uint8Array, manifest: ServedManifest, runtime: 'auto' | 'tiny' | 'onnxruntime',
  loadOrt: () => Promise<{ ortSession(file: Uint8Array, input: string, output: string): Promise<ModelSession> }>,
): Promise<ModelSession> {
  if (runtime !== 'onnxruntime') {
    const tiny = createTinySession(file);
    if (!('error' in tiny)) {
      return {
        runtime: 'tiny',
        // A copy of the plan's buffer (rows floats): two ranks in one tick must not share it.
        score: async (data, rows, width) => tiny.run({ data, dims: [rows, width] }).data.slice(),
      };
    }
    if (runtime === 'tiny' || tiny.error === 'malformed') throw new Error(tiny.message);
  }
  return (await loadOrt()).ortSession(file, manifest.inputs[0]!.name, manifest.outputs[0]!.name);
}
