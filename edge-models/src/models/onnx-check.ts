import * as ort from 'onnxruntime-web';

/** Largest |onnxruntime − TypeScript| a model may show on the evaluation rows. */
export const MAX_ABS_DIFF = 1e-5;

/**
 * Score rows with real onnxruntime-web (Node build, wasm, one thread) and return the largest
 * absolute difference from the reference scores.
 *
 * @example
 * const diff = await onnxRuntimeMaxDiff(bytes, 'features', 'score', rows, reference);
 */
export async function onnxRuntimeMaxDiff(
  file: Uint8Array, input: string, output: string, rows: readonly Float32Array[], reference: ArrayLike<number>,
): Promise<{ maxAbsDiff: number; scores: Float32Array }> {
  ort.env.wasm.numThreads = 1;
  const session = await ort.InferenceSession.create(file);
  const d = rows[0]!.length;
  const flat = new Float32Array(rows.length * d);
  rows.forEach((r, i) => flat.set(r, i * d));
  const result = await session.run({ [input]: new ort.Tensor('float32', flat, [rows.length, d]) });
  const scores = result[output]!.data as Float32Array;
  let maxAbsDiff = 0;
  for (let i = 0; i < rows.length; i++) maxAbsDiff = Math.max(maxAbsDiff, Math.abs(scores[i]! - reference[i]!));
  await session.release();
  return { maxAbsDiff, scores };
}
