/**
 * The onnxruntime-web chunk (`/sdk/<version>/sluice-ort.js`, 73 KB + a 14 MB wasm): loaded only for a
 * model the tiny runtime cannot run, or when `personalize.runtime` is `onnxruntime`.
 */
import * as ort from 'onnxruntime-web/wasm';
import type { ModelSession } from './model-session.ts';

/**
 * An onnxruntime-web session (wasm, one thread: pages are not cross-origin isolated) on a verified file.
 *
 * @example
 * const session = await ortSession(bytes, 'features', 'score');
 */
export async function ortSession(file: Uint8Array, input: string, output: string): Promise<ModelSession> {
  ort.env.wasm.numThreads = 1;
  // The wasm sits next to this chunk under the same immutable, versioned path. Only the wasm: a
  // string prefix would make ORT import its separate .mjs glue too, which this bundle already inlines.
  ort.env.wasm.wasmPaths = { wasm: new URL('./ort-wasm-simd-threaded.wasm', import.meta.url).href };
  const session = await ort.InferenceSession.create(file);
  return {
    runtime: 'onnxruntime',
    async score(data, rows, width) {
      const result = await session.run({ [input]: new ort.Tensor('float32', data, [rows, width]) });
      return result[output]!.data as Float32Array;
    },
  };
}
