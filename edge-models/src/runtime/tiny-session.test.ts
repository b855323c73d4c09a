import { describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import * as ort from 'onnxruntime-web';
import { createTinySession } from './tiny-session.ts';
import { committedModels } from '../models/committed-models.ts';
import { ModelProto } from '../models/onnx-schema.ts';
import { seededRandom } from '../models/seeded-random.ts';

ort.env.wasm.numThreads = 1;
const models = committedModels(resolve(process.cwd(), 'edge-models/models'));

/** Rows like the device produces (log-counts 0..4, 0/1 flags), plus the training-time slot flags. */
function rows(n: number, d: number, seed: number): Float32Array {
  const next = seededRandom(seed);
  return Float32Array.from({ length: n * d }, (_, i) => (i % d === 1 || i % d >= 4 ? (next() < 0.3 ? 1 : 0) : next() * 4));
}

async function maxDiffAgainstOrt(file: Uint8Array, input: string, output: string, data: Float32Array, dims: number[]): Promise<number> {
  const session = await ort.InferenceSession.create(file);
  const expected = (await session.run({ [input]: new ort.Tensor('float32', data, dims) }))[output]!.data as Float32Array;
  await session.release();
  const tiny = createTinySession(file);
  if ('error' in tiny) throw new Error(tiny.message);
  const got = tiny.run({ data, dims }).data;
  expect(got).toHaveLength(expected.length);
  return Math.max(...Array.from(got, (v, i) => Math.abs(v - expected[i]!)));
}

describe('tiny runtime vs onnxruntime-web', () => {
  for (const { manifest, file } of models) {
    it(`${manifest.name} ${manifest.version}: same scores on 2,000 rows (≤ 1e-6) and for one row`, async () => {
      const d = manifest.inputs[0]!.shape[1] as number;
      expect(await maxDiffAgainstOrt(file, 'features', 'score', rows(2000, d, 4), [2000, d])).toBeLessThanOrEqual(1e-6);
      expect(await maxDiffAgainstOrt(file, 'features', 'score', rows(1, d, 5), [1, d])).toBeLessThanOrEqual(1e-6);
    });
  }

  it('runs an MLP with Gemm(transB, alpha, beta), Relu, Tanh, Div and a broadcast Add like onnxruntime-web', async () => {
    const next = seededRandom(8);
    const f = (n: number) => new Uint8Array(Float32Array.from({ length: n }, () => next() * 2 - 1).buffer);
    const vi = (name: string, dims: (number | string)[]) => ({ name, type: { tensor_type: { elem_type: 1, shape: { dim: dims.map((x) => (typeof x === 'string' ? { dim_param: x } : { dim_value: x })) } } } });
    const file = ModelProto.encode(ModelProto.fromObject({
      ir_version: 7, opset_import: [{ domain: '', version: 13 }],
      graph: {
        name: 'mlp',
        node: [
          { op_type: 'Gemm', input: ['x', 'W1', 'b1'], output: ['h'], attribute: [{ name: 'transB', type: 2, i: 1 }, { name: 'alpha', type: 1, f: 0.5 }, { name: 'beta', type: 1, f: 2 }] },
          { op_type: 'Relu', input: ['h'], output: ['r'] },
          { op_type: 'Add', input: ['r', 'bias_row'], output: ['r2'] },
          { op_type: 'Tanh', input: ['r2'], output: ['t'] },
          { op_type: 'Div', input: ['t', 'two'], output: ['t2'] },
          { op_type: 'MatMul', input: ['t2', 'W2'], output: ['y'] },
        ],
        initializer: [
          { name: 'W1', dims: [8, 6], data_type: 1, raw_data: f(48) }, { name: 'b1', dims: [8], data_type: 1, raw_data: f(8) },
          { name: 'bias_row', dims: [1, 8], data_type: 1, raw_data: f(8) }, { name: 'two', dims: [], data_type: 1, raw_data: new Uint8Array(Float32Array.of(2).buffer) },
          { name: 'W2', dims: [8, 2], data_type: 1, raw_data: f(16) },
        ],
        input: [vi('x', ['N', 6])], output: [vi('y', ['N', 2])],
      },
    })).finish();
    expect(await maxDiffAgainstOrt(file, 'x', 'y', rows(300, 6, 9), [300, 6])).toBeLessThanOrEqual(1e-6);
  });

  it('a compiled plan is reused per shape: repeated and interleaved runs give fresh results into the same buffer', () => {
    for (const { manifest, file } of models) {
      const d = manifest.inputs[0]!.shape[1] as number;
      const session = createTinySession(file);
      if ('error' in session) throw new Error(session.message);
      const reference = (data: Float32Array, n: number) => {
        const fresh = createTinySession(file) as typeof session;
        return Array.from(fresh.run({ data, dims: [n, d] }).data);
      };
      const a = rows(20, d, 11);
      const b = rows(20, d, 12);
      const c = rows(7, d, 13);
      const first = session.run({ data: a, dims: [20, d] });
      expect(Array.from(first.data)).toEqual(reference(a, 20));
      const second = session.run({ data: b, dims: [20, d] });
      expect(second.data).toBe(first.data); // no allocation: the plan's own output buffer
      expect(Array.from(second.data)).toEqual(reference(b, 20)); // nothing left over from the first run (ReduceSum restarts at 0)
      expect(Array.from(session.run({ data: c, dims: [7, d] }).data)).toEqual(reference(c, 7));
      expect(Array.from(session.run({ data: a, dims: [20, d] }).data)).toEqual(reference(a, 20));
      expect(() => session.run({ data: a, dims: [19, d] })).toThrow(/shape/);
    }
  });

  it('says "unsupported" for an operator it lacks and "malformed" for bytes that are not ONNX', () => {
    const file = ModelProto.encode(ModelProto.fromObject({
      ir_version: 7, opset_import: [{ domain: '', version: 13 }],
      graph: { name: 'g', node: [{ op_type: 'Softmax', input: ['x'], output: ['y'] }], input: [{ name: 'x' }], output: [{ name: 'y' }] },
    })).finish();
    expect(createTinySession(file)).toMatchObject({ error: 'unsupported', message: expect.stringContaining('Softmax') });
    expect(createTinySession(Uint8Array.of(0x3a, 0xff, 0xff))).toMatchObject({ error: 'malformed' });
  });
});
